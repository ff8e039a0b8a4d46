package dev.clipstream.jobs.tagging;

import dev.clipstream.model.confidence.UnknownRule;
import java.io.Serializable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * What the tagging job says about each result beyond its labels: whether it is too unsure to name
 * ({@code labels.unknown-*}), whether it nearly duplicates a recent image ({@code duplicates.*}),
 * and how large a thumbnail it carries ({@code results.thumbnail-size}).
 */
public record ResultOptions(
    UnknownRule unknown,
    int duplicateWindow,
    float duplicateThreshold,
    float duplicateMaxDistanceRatio,
    boolean duplicatesPerSource,
    int thumbnailSize)
    implements Serializable {

  /**
   * Side of the thumbnails by default: enough for a list of hits, and about a kilobyte as JPEG
   * (ThumbnailTest's 56 px thumbnail of a drawn picture: 1,017 bytes).
   */
  public static final int DEFAULT_THUMBNAIL_SIZE = 64;

  public static final ConfigOption<Integer> THUMBNAIL_SIZE =
      ConfigOptions.key("results.thumbnail-size")
          .intType()
          .defaultValue(DEFAULT_THUMBNAIL_SIZE)
          .withDescription(
              "Side in pixels of the JPEG thumbnail of the model's centre crop that each result"
                  + " carries (at most the model's input size); 0: no thumbnails.");

  /** The default thumbnail size. */
  public ResultOptions(
      UnknownRule unknown,
      int duplicateWindow,
      float duplicateThreshold,
      float duplicateMaxDistanceRatio,
      boolean duplicatesPerSource) {
    this(
        unknown,
        duplicateWindow,
        duplicateThreshold,
        duplicateMaxDistanceRatio,
        duplicatesPerSource,
        DEFAULT_THUMBNAIL_SIZE);
  }

  public ResultOptions {
    if (thumbnailSize < 0) {
      throw new IllegalArgumentException(
          THUMBNAIL_SIZE.key() + " must be >= 0 (0: none): " + thumbnailSize);
    }
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
        scope.equals("source"),
        config.get(THUMBNAIL_SIZE));
  }

  /** Whether near-duplicates are checked. */
  public boolean checksDuplicates() {
    return duplicateWindow > 0;
  }
}
