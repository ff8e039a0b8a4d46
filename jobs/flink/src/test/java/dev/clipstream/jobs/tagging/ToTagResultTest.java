package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.confidence.UnknownRule;
import dev.clipstream.schemas.TagResult;
import java.util.List;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** What a result says beyond its labels: unknown, and the near-duplicate it repeats. */
class ToTagResultTest {

  @Test
  void anUnsureResultSaysUnknownAndKeepsItsTopLabels() throws Exception {
    List<TagResult> out =
        run(
            new UnknownRule(0.6f, 0f),
            encoded("sure", new float[] {0.9f, 0.05f}),
            encoded("unsure", new float[] {0.5f, 0.3f}));
    assertFalse(out.get(0).getUnknown());
    assertTrue(out.get(1).getUnknown());
    assertEquals(2, out.get(1).getLabels().size());
    assertEquals("shoe", out.get(1).getLabels().get(0).getLabel().toString());
  }

  @Test
  void carriesTheNearDuplicateItWasFlaggedWith() throws Exception {
    EncodedImage repost = encoded("b", new float[] {0.9f, 0.05f});
    repost.duplicateOf = "a";
    repost.duplicateSimilarity = 0.998f;
    List<TagResult> out = run(UnknownRule.NEVER, encoded("a", new float[] {0.9f, 0.05f}), repost);
    assertNull(out.get(0).getDuplicateOf());
    assertEquals("a", out.get(1).getDuplicateOf().toString());
    assertEquals(0.998f, out.get(1).getDuplicateSimilarity(), 0f);
  }

  private static List<TagResult> run(UnknownRule rule, EncodedImage... images) throws Exception {
    try (var harness =
        new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new ToTagResult(rule)))) {
      harness.open();
      for (EncodedImage image : images) {
        harness.processElement(image, 0);
      }
      return harness.extractOutputValues();
    }
  }

  private static EncodedImage encoded(String id, float[] scores) {
    EncodedImage image =
        new EncodedImage(id, System.currentTimeMillis(), "m", new float[] {1, 0}, null);
    image.labelSet = "set";
    image.labelSetVersion = 1;
    image.labels = new String[] {"shoe", "bag"};
    image.scores = scores;
    return image;
  }
}
