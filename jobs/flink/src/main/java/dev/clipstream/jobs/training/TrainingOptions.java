package dev.clipstream.jobs.training;

import java.io.Serializable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Every setting of the continual-training job as Flink configuration options (the same keys in a
 * Flink configuration file, as {@code -D} to {@code flink run}, or as {@code --set} on the
 * clipstream command line). The topics and {@code model.store} are the tagging job's keys.
 */
public final class TrainingOptions {
  private TrainingOptions() {}

  public static final ConfigOption<String> GROUP_ID =
      ConfigOptions.key("training.group-id")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Consumer group of the training job's source (default: <deployment.name>-training,"
                  + " clipstream-training).");

  /** The configured group, or the deployment's default one. */
  public static String groupId(ReadableConfig config) {
    return config
        .getOptional(GROUP_ID)
        .orElse(config.get(dev.clipstream.jobs.io.KafkaOptions.DEPLOYMENT).strip() + "-training");
  }

  public static final ConfigOption<Integer> BATCH_SIZE =
      ConfigOptions.key("training.batch-size")
          .intType()
          .defaultValue(64)
          .withDescription("Image/caption pairs per gradient step.");

  public static final ConfigOption<Integer> NEW_PAIRS =
      ConfigOptions.key("training.new-pairs-per-batch")
          .intType()
          .defaultValue(32)
          .withDescription(
              "Pairs from the stream per batch; the rest come from the replay reservoir.");

  public static final ConfigOption<Integer> REPLAY_CAPACITY =
      ConfigOptions.key("training.replay-capacity")
          .intType()
          .defaultValue(2048)
          .withDescription("Pairs kept in the replay reservoir (in Flink state).");

  public static final ConfigOption<Double> LEARNING_RATE =
      ConfigOptions.key("training.learning-rate")
          .doubleType()
          .defaultValue(1e-4)
          .withDescription("AdamW learning rate, constant after a short warm-up.");

  public static final ConfigOption<Integer> PUBLISH_EVERY =
      ConfigOptions.key("training.publish-every-steps")
          .intType()
          .defaultValue(25)
          .withDescription("Steps between evaluations of the gate (and publications).");

  public static final ConfigOption<Integer> HOLDOUT_EVERY =
      ConfigOptions.key("training.holdout-every")
          .intType()
          .defaultValue(10)
          .withDescription(
              "Every n-th captioned event is held out for the gate, never trained on.");

  public static final ConfigOption<Integer> HOLDOUT_SIZE =
      ConfigOptions.key("training.holdout-size")
          .intType()
          .defaultValue(256)
          .withDescription("Most recent held-out pairs kept for the gate.");

  public static final ConfigOption<Double> GUARD_TOLERANCE =
      ConfigOptions.key("training.guard-tolerance")
          .doubleType()
          .defaultValue(0.02)
          .withDescription(
              "Largest drop in held-out caption accuracy, against the served model, that may be"
                  + " published.");

  public static final ConfigOption<String> GUARD_FOLDER =
      ConfigOptions.key("training.guard-folder")
          .stringType()
          .defaultValue("")
          .withDescription(
              "A labelled image folder (one subfolder per label) whose zero-shot accuracy the gate"
                  + " compares, instead of the held-out slice's caption accuracy; empty: none.");

  public static final ConfigOption<Long> SEED =
      ConfigOptions.key("training.seed")
          .longType()
          .defaultValue(7L)
          .withDescription("Seed of the replay reservoir's sampling.");

  public static final ConfigOption<Integer> RETAINED_CHECKPOINT_FILES =
      ConfigOptions.key("training.checkpoint-files.retained")
          .intType()
          .noDefaultValue()
          .withDescription(
              "Completed checkpoints whose weight and optimiser files stay in the model store"
                  + " (older ones are deleted); default: execution.checkpointing.num-retained, so every"
                  + " checkpoint Flink retains can be restored. Savepoints get copies of their own"
                  + " under savepoints/, never deleted by the job.");

  public static final ConfigOption<Integer> RETAINED_PUBLICATIONS =
      ConfigOptions.key("training.published.retained")
          .intType()
          .defaultValue(5)
          .withDescription(
              "Published weights kept in the model store's published/ folder, newest first; older"
                  + " ones are deleted once no retained checkpoint serves them (0: keep all).");

  /** The settings of a configuration. */
  public static Settings settings(ReadableConfig config, String weights, String store) {
    return new Settings(
        weights,
        store,
        config.get(BATCH_SIZE),
        config.get(NEW_PAIRS),
        config.get(REPLAY_CAPACITY),
        config.get(LEARNING_RATE),
        config.get(PUBLISH_EVERY),
        config.get(HOLDOUT_EVERY),
        config.get(HOLDOUT_SIZE),
        config.get(GUARD_TOLERANCE),
        config.get(GUARD_FOLDER),
        config.get(SEED),
        config
            .getOptional(RETAINED_CHECKPOINT_FILES)
            .orElse(config.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)),
        config.get(RETAINED_PUBLICATIONS));
  }

  /** What the trainer needs, fixed when the job is built. */
  public record Settings(
      String weights,
      String store,
      int batchSize,
      int newPairs,
      int replayCapacity,
      double learningRate,
      int publishEvery,
      int holdoutEvery,
      int holdoutSize,
      double guardTolerance,
      String guardFolder,
      long seed,
      int retainedCheckpoints,
      int retainedPublications)
      implements Serializable {
    public Settings {
      if (newPairs < 1 || newPairs > batchSize || batchSize < 2) {
        throw new IllegalArgumentException(
            "need 1 <= training.new-pairs-per-batch <= training.batch-size and a batch of 2 or more");
      }
      if (retainedCheckpoints < 1 || retainedPublications < 0) {
        throw new IllegalArgumentException(
            "training.checkpoint-files.retained must be 1 or more and training.published.retained"
                + " 0 or more");
      }
      if (store == null || store.isBlank()) {
        throw new IllegalArgumentException("the training job needs a model store (model.store)");
      }
    }

    /** The same settings with another weights file to start from. */
    public Settings withWeights(String path) {
      return new Settings(
          path,
          store,
          batchSize,
          newPairs,
          replayCapacity,
          learningRate,
          publishEvery,
          holdoutEvery,
          holdoutSize,
          guardTolerance,
          guardFolder,
          seed,
          retainedCheckpoints,
          retainedPublications);
    }
  }
}
