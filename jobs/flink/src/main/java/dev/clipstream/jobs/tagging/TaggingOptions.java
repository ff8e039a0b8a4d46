package dev.clipstream.jobs.tagging;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every setting of the tagging job, as Flink configuration options: the same dotted keys work in a
 * Flink configuration file, as {@code -Dkey=value} to {@code flink run}, and as {@code --set
 * key=value} on the clipstream command line.
 */
public final class TaggingOptions {
  private TaggingOptions() {}

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      ConfigOptions.key("kafka.bootstrap-servers")
          .stringType()
          .noDefaultValue()
          .withDescription("Kafka brokers, host:port[,host:port...].");

  public static final ConfigOption<String> INPUT_TOPIC =
      ConfigOptions.key("topics.input")
          .stringType()
          .defaultValue("images")
          .withDescription("Topic of ImageEvent records to tag.");

  public static final ConfigOption<String> RESULTS_TOPIC =
      ConfigOptions.key("topics.results")
          .stringType()
          .defaultValue("image-tags")
          .withDescription("Topic the TagResult records are written to, keyed by event id.");

  public static final ConfigOption<String> DEAD_LETTER_TOPIC =
      ConfigOptions.key("topics.dead-letters")
          .stringType()
          .defaultValue("image-dead-letters")
          .withDescription("Topic of inputs that could not be tagged, with the reason.");

  public static final ConfigOption<String> LABEL_SETS_TOPIC =
      ConfigOptions.key("topics.label-sets")
          .stringType()
          .defaultValue("label-sets")
          .withDescription("Compacted topic of label-set definitions.");

  public static final ConfigOption<String> MODEL_UPDATES_TOPIC =
      ConfigOptions.key("topics.model-updates")
          .stringType()
          .defaultValue("model-updates")
          .withDescription("Topic of ModelUpdate records announcing new weights.");

  public static final ConfigOption<String> GROUP_ID =
      ConfigOptions.key("kafka.group-id")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Consumer group of the tagging job's sources (default: <deployment.name>-tagging,"
                  + " clipstream-tagging).");

  /** The configured group, or the deployment's default one. */
  public static String groupId(org.apache.flink.configuration.ReadableConfig config) {
    return config
        .getOptional(GROUP_ID)
        .orElse(config.get(dev.clipstream.jobs.io.KafkaOptions.DEPLOYMENT).strip() + "-tagging");
  }

  public static final ConfigOption<Integer> BATCH_MAX_SIZE =
      ConfigOptions.key("batch.max-size")
          .intType()
          .defaultValue(32)
          .withDescription("Most images encoded in one forward pass.");

  public static final ConfigOption<Duration> BATCH_MAX_WAIT =
      ConfigOptions.key("batch.max-wait")
          .durationType()
          .defaultValue(Duration.ofMillis(50))
          .withDescription("Longest an image waits for its batch to fill.");

  public static final ConfigOption<Integer> BATCH_IN_FLIGHT =
      ConfigOptions.key("batch.in-flight")
          .intType()
          .defaultValue(BatchingOptions.DEFAULT_IN_FLIGHT)
          .withDescription(
              "Batches in their forward pass while the next is collected (0: the forward runs on"
                  + " the task thread; 1-8: on a thread of its own, results still in input order,"
                  + " all drained before a checkpoint barrier).");
  public static final ConfigOption<Duration> BATCH_LATENCY_TARGET =
      ConfigOptions.key("batch.latency-target")
          .durationType()
          .noDefaultValue()
          .withDescription(
              "Off unless set. Queue wait + forward time an image should stay within: the batch"
                  + " size follows the measured forward time (the largest size, at most"
                  + " batch.max-size, whose forward fits twice into the target) and the wait is"
                  + " what is left, at most batch.max-wait.");

  public static final ConfigOption<Integer> TOP_K =
      ConfigOptions.key("labels.top-k")
          .intType()
          .defaultValue(5)
          .withDescription("Labels kept per image, best first.");

  public static final ConfigOption<String> LABEL_SET =
      ConfigOptions.key("labels.set")
          .stringType()
          .defaultValue("fashion-mnist")
          .withDescription(
              "Name of the label set the job labels with; newer versions of it on the label-sets"
                  + " topic replace it while the job runs.");

  public static final ConfigOption<String> MODEL_STORE =
      ConfigOptions.key("model.store")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Directory or file system URI (s3://, hdfs://) that model updates must point into;"
                  + " empty: model updates are refused.");

  public static final ConfigOption<String> MODEL_DEVICE =
      ConfigOptions.key("model.device")
          .stringType()
          .defaultValue("auto")
          .withDescription(
              "Where the encoder runs: auto (a GPU when there is one), cpu, gpu (slots spread over"
                  + " the GPUs, slot s on GPU s mod n, one model copy per GPU) or gpu:N.");

  public static final ConfigOption<String> MODEL_PRECISION =
      ConfigOptions.key("model.precision")
          .stringType()
          .defaultValue("float32")
          .withDescription(
              "Inference precision: float32 or float16 (slow on CPUs); the weights are held on the"
                  + " device in this precision. bfloat16 is refused (DJL 0.35.1 aborts on it).");

  /** The batching settings of a configuration. */
  public static BatchingOptions batching(org.apache.flink.configuration.ReadableConfig config) {
    return new BatchingOptions(
        config.get(BATCH_MAX_SIZE),
        config.get(BATCH_MAX_WAIT),
        config.get(BATCH_IN_FLIGHT),
        config.getOptional(BATCH_LATENCY_TARGET).orElse(Duration.ZERO));
  }

  public static final ConfigOption<Double> UNKNOWN_MIN_PROBABILITY =
      ConfigOptions.key("labels.unknown-min-probability")
          .doubleType()
          .defaultValue(0.0)
          .withDescription(
              "A result whose top label's probability is below this says unknown (still with its"
                  + " top k); 0 never. `clipstream eval --unknown-precision P` calibrates it.");

  public static final ConfigOption<Double> UNKNOWN_MIN_MARGIN =
      ConfigOptions.key("labels.unknown-min-margin")
          .doubleType()
          .defaultValue(0.0)
          .withDescription(
              "A result whose top probability exceeds the second's by less than this says"
                  + " unknown; 0 never.");

  public static final ConfigOption<Integer> DUPLICATES_WINDOW =
      ConfigOptions.key("duplicates.window")
          .intType()
          .defaultValue(0)
          .withDescription(
              "Recent images per scope that a new one is compared with for near-duplicates (kept"
                  + " in state); 0 turns the check off.");

  public static final ConfigOption<Double> DUPLICATES_THRESHOLD =
      ConfigOptions.key("duplicates.threshold")
          .doubleType()
          .defaultValue(0.95)
          .withDescription("Cosine similarity at which an earlier image is a near-duplicate.");

  public static final ConfigOption<Double> DUPLICATES_MAX_DISTANCE_RATIO =
      ConfigOptions.key("duplicates.max-distance-ratio")
          .doubleType()
          .defaultValue(0.5)
          .withDescription(
              "The nearest earlier image's cosine distance must be at most this share of the"
                  + " second nearest's (1: off); see docs/beyond-zero-shot.md.");

  public static final ConfigOption<String> DUPLICATES_SCOPE =
      ConfigOptions.key("duplicates.scope")
          .stringType()
          .defaultValue("source")
          .withDescription(
              "Where near-duplicates are looked for: 'source' (among the same producer's events)"
                  + " or 'global' (all events; one key, so one subtask does the check).");
}
