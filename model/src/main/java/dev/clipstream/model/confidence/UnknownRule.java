package dev.clipstream.model.confidence;

import dev.clipstream.model.zeroshot.ScoredLabel;
import java.io.Serializable;
import java.util.List;

/**
 * Says "unknown" for a prediction whose top probability is below {@code minProbability} or whose
 * margin over the second label is below {@code minMargin}. Zero for both never abstains.
 */
public record UnknownRule(float minProbability, float minMargin) implements Serializable {

  /** The label a result carries when the rule abstains. */
  public static final String UNKNOWN = "unknown";

  /** The rule that always answers. */
  public static final UnknownRule NEVER = new UnknownRule(0f, 0f);

  public UnknownRule {
    if (!(minProbability >= 0 && minProbability <= 1)) {
      throw new IllegalArgumentException(
          "unknown.min-probability must be in [0, 1]: " + minProbability);
    }
    if (!(minMargin >= 0 && minMargin <= 1)) {
      throw new IllegalArgumentException("unknown.min-margin must be in [0, 1]: " + minMargin);
    }
  }

  /** Whether the top-k prediction {@code top} (best first) is too unsure to name. */
  public boolean abstains(List<ScoredLabel> top) {
    if (top.isEmpty()) {
      return true;
    }
    float first = top.get(0).probability();
    float second = top.size() > 1 ? top.get(1).probability() : 0f;
    return first < minProbability || first - second < minMargin;
  }
}
