package dev.clipstream.jobs.tagging;

import dev.clipstream.model.confidence.UnknownRule;
import java.io.Serializable;
import org.apache.flink.configuration.ReadableConfig;

/**
 * What the tagging job says about each result beyond its labels: whether it is too unsure to name
 * ({@code labels.unknown-*}) and whether it nearly duplicates a recent image ({@code
 * duplicates.*}).
 */
public record ResultOptions(
    UnknownRule unknown,
    int duplicateWindow,
    float duplicateThreshold,
    float duplicateMaxDistanceRatio,
    boolean duplicatesPerSource)
    implements Serializable {

  public ResultOptions {
    if (duplicateWindow < 0) {
      throw new IllegalArgumentException("duplicates.window must be >= 0: " + duplicateWindow);
    }
    if (duplicateWindow > 0) {
      // Validates the threshold and ratio in one place.
      new dev.clipstream.model.duplicates.NearDuplicateWindow(
          duplicateWindow, duplicateThreshold, duplicateMaxDistanceRatio);
    }
  }

  /** Never unknown, no duplicate check. */
  public static ResultOptions defaults() {
    return new ResultOptions(UnknownRule.NEVER, 0, 0.95f, 0.5f, true);
  }

  /** From the {@link TaggingOptions} keys. */
  public static ResultOptions from(ReadableConfig config) {
    String scope = config.get(TaggingOptions.DUPLICATES_SCOPE);
    if (!scope.equals("source") && !scope.equals("global")) {
      throw new IllegalArgumentException(
          "duplicates.scope must be 'source' or 'global': '" + scope + "'");
    }
    return new ResultOptions(
        new UnknownRule(
            config.get(TaggingOptions.UNKNOWN_MIN_PROBABILITY).floatValue(),
            config.get(TaggingOptions.UNKNOWN_MIN_MARGIN).floatValue()),
        config.get(TaggingOptions.DUPLICATES_WINDOW),
        config.get(TaggingOptions.DUPLICATES_THRESHOLD).floatValue(),
        config.get(TaggingOptions.DUPLICATES_MAX_DISTANCE_RATIO).floatValue(),
        scope.equals("source"));
  }

  /** Whether near-duplicates are checked. */
  public boolean checksDuplicates() {
    return duplicateWindow > 0;
  }
}
