package dev.clipstream.jobs.deploy;

import dev.clipstream.jobs.control.ControlOptions;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.io.OutputOptions;
import dev.clipstream.jobs.tagging.ExampleOptions;
import dev.clipstream.jobs.tagging.ResultOptions;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.jobs.tagging.TaggingSettings;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.Precision;
import dev.clipstream.model.engine.ModelDevice;
import dev.clipstream.model.zeroshot.LabelSet;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The tagging job as a configuration describes it. Every way of starting the job (the {@code
 * clipstream job tagging} command, {@code flink run} and the Flink operator through {@link
 * TaggingJobMain}) builds one of these from the same keys, so a key means the same in all of them.
 */
public record TaggingJobSetup(
    KafkaOptions kafka,
    TaggingTopics topics,
    String groupId,
    TaggingSettings settings,
    OutputOptions output) {

  /** The job's name in Flink's web UI and REST API. */
  public static final String JOB_NAME = "clipstream-tagging";

  /**
   * Reads the keys of {@link TaggingOptions}, {@link LaunchOptions} and {@link OutputOptions}.
   *
   * @throws IllegalArgumentException when the bootstrap servers are missing
   */
  public static TaggingJobSetup from(ReadableConfig config) {
    String bootstrapServers = config.getOptional(TaggingOptions.BOOTSTRAP_SERVERS).orElse("");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          TaggingOptions.BOOTSTRAP_SERVERS.key() + " is not set: name the Kafka brokers");
    }
    String weights = config.get(LaunchOptions.WEIGHTS).strip();
    KafkaOptions kafka =
        KafkaOptions.from(bootstrapServers, config.get(LaunchOptions.KAFKA_PROPERTIES), config);
    TaggingTopics topics =
        new TaggingTopics(
            config.get(TaggingOptions.INPUT_TOPIC),
            config.get(TaggingOptions.RESULTS_TOPIC),
            config.get(TaggingOptions.DEAD_LETTER_TOPIC),
            config.get(TaggingOptions.LABEL_SETS_TOPIC),
            config.get(TaggingOptions.MODEL_UPDATES_TOPIC),
            config.getOptional(ExampleOptions.EXAMPLES_TOPIC).orElse("").strip());
    TaggingSettings settings =
        new TaggingSettings(
            weights,
            imageSize(weights),
            TaggingOptions.batching(config),
            LabelSet.of(
                config.get(TaggingOptions.LABEL_SET),
                1,
                config.get(LaunchOptions.LABELS).stream().map(String::strip).toList()),
            config.get(TaggingOptions.TOP_K),
            config.get(TaggingOptions.MODEL_STORE),
            ControlOptions.policy(config),
            config.get(ControlOptions.DEAD_LETTER_MAX_PAYLOAD_BYTES),
            ModelDevice.parse(config.get(TaggingOptions.MODEL_DEVICE)).toString(),
            Precision.parse(config.get(TaggingOptions.MODEL_PRECISION)).key(),
            ResultOptions.from(config),
            ExampleOptions.from(config));
    return new TaggingJobSetup(
        kafka, topics, TaggingOptions.groupId(config), settings, OutputOptions.from(config));
  }

  /** Wires the job between the configured topics; {@code bounded} stops at the input's end. */
  public void wire(StreamExecutionEnvironment env, boolean bounded) {
    TaggingJob.onKafka(env, kafka, topics, groupId, bounded, settings, output);
  }

  /**
   * The image size the job is built with: the default model's, or 0 for other weights, whose own
   * size the operators read on the TaskManagers (the client need not see the file).
   */
  public static int imageSize(String weights) {
    return weights.isEmpty()
        ? DefaultModel.manifest().path("config").path("image_resolution").asInt()
        : 0;
  }
}
