package dev.clipstream.jobs.tagging;

import java.io.Serializable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * How the tagging job learns labels from examples (docs/beyond-zero-shot.md): labelled images on
 * {@code topics.examples} are embedded, summed per label into prototypes and blended with the label
 * set's text weights, the text counting as {@code examples.prior-shots} examples.
 */
public record ExampleOptions(int maxPerLabel, int maxLabels, float priorShots)
    implements Serializable {

  public static final ConfigOption<String> EXAMPLES_TOPIC =
      ConfigOptions.key("topics.examples")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Compacted topic of labelled ImageEvent records (the label field set) that teach"
                  + " labels while the job runs; unset: no teaching. Whoever may write it changes"
                  + " every result, so grant WRITE on it as on the control topics.");

  public static final ConfigOption<Integer> MAX_PER_LABEL =
      ConfigOptions.key("examples.max-per-label")
          .intType()
          .defaultValue(64)
          .withDescription(
              "Examples' worth a label's prototype keeps; a further example replaces an average"
                  + " one, so the prototype follows the latest examples.");

  public static final ConfigOption<Integer> MAX_LABELS =
      ConfigOptions.key("examples.max-labels")
          .intType()
          .defaultValue(1000)
          .withDescription(
              "Most labels examples may teach; an example of a further label is a dead letter.");

  public static final ConfigOption<Double> PRIOR_SHOTS =
      ConfigOptions.key("examples.prior-shots")
          .doubleType()
          .defaultValue(4.0)
          .withDescription(
              "What a label's prompts weigh, in examples, against its examples: weights ="
                  + " normalise(k/(n+k)·text + n/(n+k)·prototype); 0: examples replace the text.");

  /** Longest label an example may teach, in characters. */
  public static final int MAX_LABEL_CHARS = 256;

  public ExampleOptions {
    if (maxPerLabel <= 0) {
      throw new IllegalArgumentException(MAX_PER_LABEL.key() + " must be positive: " + maxPerLabel);
    }
    if (maxLabels <= 0) {
      throw new IllegalArgumentException(MAX_LABELS.key() + " must be positive: " + maxLabels);
    }
    if (!(priorShots >= 0) || Float.isInfinite(priorShots)) {
      throw new IllegalArgumentException(PRIOR_SHOTS.key() + " must be >= 0: " + priorShots);
    }
  }

  /** The defaults of the keys. */
  public static ExampleOptions defaults() {
    return new ExampleOptions(
        MAX_PER_LABEL.defaultValue(),
        MAX_LABELS.defaultValue(),
        PRIOR_SHOTS.defaultValue().floatValue());
  }

  /** From the keys of this class. */
  public static ExampleOptions from(ReadableConfig config) {
    return new ExampleOptions(
        config.get(MAX_PER_LABEL), config.get(MAX_LABELS), config.get(PRIOR_SHOTS).floatValue());
  }
}
