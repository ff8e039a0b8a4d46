package dev.clipstream.model.confidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.zeroshot.ScoredLabel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing the unknown threshold for a precision target. */
class CalibrationTest {

  // Ten predictions, most confident first: right, right, right, wrong, right, wrong, ...
  private static final float[] CONFIDENCE = {
    0.99f, 0.95f, 0.9f, 0.85f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f
  };
  private static final boolean[] CORRECT = {
    true, true, true, false, true, false, true, false, false, true
  };

  @Test
  void keepsTheMostPredictionsThatMeetTheTarget() {
    Calibration.Result r = Calibration.forPrecision(CONFIDENCE, CORRECT, 0.8);
    // Keeping five (>= 0.8) gives 4/5 = 0.8; keeping more drops below.
    assertEquals(0.8f, r.threshold());
    assertEquals(5, r.kept());
    assertEquals(0.5, r.coverage(), 1e-12);
    assertEquals(0.8, r.precision(), 1e-12);
  }

  @Test
  void keepsNothingWhenNoThresholdReachesTheTarget() {
    boolean[] allWrong = new boolean[CONFIDENCE.length];
    Calibration.Result r = Calibration.forPrecision(CONFIDENCE, allWrong, 0.5);
    assertEquals(0, r.kept());
    assertTrue(r.threshold() > 0.99f);
  }

  @Test
  void theCurveEndsAtThePlainAccuracy() {
    List<Calibration.Point> curve = Calibration.curve(CONFIDENCE, CORRECT);
    Calibration.Point last = curve.get(curve.size() - 1);
    assertEquals(1.0, last.coverage(), 1e-12);
    assertEquals(0.6, last.accuracy(), 1e-12);
    assertEquals(1.0, curve.get(0).accuracy(), 1e-12);
  }

  @Test
  void theRuleAbstainsOnLowConfidenceOrASmallMargin() {
    UnknownRule rule = new UnknownRule(0.5f, 0.2f);
    assertTrue(
        rule.abstains(List.of(new ScoredLabel(0, "a", 0.45f), new ScoredLabel(1, "b", 0.1f))));
    assertTrue(
        rule.abstains(List.of(new ScoredLabel(0, "a", 0.55f), new ScoredLabel(1, "b", 0.4f))));
    assertFalse(
        rule.abstains(List.of(new ScoredLabel(0, "a", 0.7f), new ScoredLabel(1, "b", 0.2f))));
    assertFalse(UnknownRule.NEVER.abstains(List.of(new ScoredLabel(0, "a", 0.01f))));
    assertThrows(IllegalArgumentException.class, () -> new UnknownRule(1.5f, 0));
  }
}
