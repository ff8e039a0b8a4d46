package dev.clipstream.jobs.deploy;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.Precision;
import dev.clipstream.model.engine.ModelDevice;
import dev.clipstream.model.weights.SafeTensorsFile;
import dev.clipstream.model.zeroshot.LabelSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The tagging job as a configuration describes it. Every way of starting the job (the {@code
 * clipstream job tagging} command, {@code flink run} and the Flink operator through {@link
 * TaggingJobMain}) builds one of these from the same keys, so a key means the same in all of them.
 */
public record TaggingJobSetup(
    KafkaOptions kafka, TaggingJob.Topics topics, String groupId, TaggingJob.Settings settings) {

  /** The job's name in Flink's web UI and REST API. */
  public static final String JOB_NAME = "clipstream-tagging";

  /**
   * Reads the keys of {@link TaggingOptions} and {@link LaunchOptions}.
   *
   * @throws IllegalArgumentException when the bootstrap servers are missing or the weights cannot
   *     be read
   */
  public static TaggingJobSetup from(ReadableConfig config) {
    String bootstrapServers = config.getOptional(TaggingOptions.BOOTSTRAP_SERVERS).orElse("");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          TaggingOptions.BOOTSTRAP_SERVERS.key() + " is not set: name the Kafka brokers");
    }
    String weights = config.get(LaunchOptions.WEIGHTS).strip();
    KafkaOptions kafka =
        new KafkaOptions(
            bootstrapServers,
            config.get(LaunchOptions.KAFKA_PROPERTIES),
            KafkaOptions.DEFAULT_TRANSACTION_TIMEOUT);
    TaggingJob.Topics topics =
        new TaggingJob.Topics(
            config.get(TaggingOptions.INPUT_TOPIC),
            config.get(TaggingOptions.RESULTS_TOPIC),
            config.get(TaggingOptions.DEAD_LETTER_TOPIC),
            config.get(TaggingOptions.LABEL_SETS_TOPIC),
            config.get(TaggingOptions.MODEL_UPDATES_TOPIC));
    TaggingJob.Settings settings =
        new TaggingJob.Settings(
            weights,
            imageSize(weights),
            TaggingOptions.batching(config),
            LabelSet.of(
                config.get(TaggingOptions.LABEL_SET),
                1,
                config.get(LaunchOptions.LABELS).stream().map(String::strip).toList()),
            config.get(TaggingOptions.TOP_K),
            config.get(TaggingOptions.MODEL_STORE),
            ModelDevice.parse(config.get(TaggingOptions.MODEL_DEVICE)).toString(),
            Precision.parse(config.get(TaggingOptions.MODEL_PRECISION)).key());
    return new TaggingJobSetup(kafka, topics, config.get(TaggingOptions.GROUP_ID), settings);
  }

  /** Wires the job between the configured topics; {@code bounded} stops at the input's end. */
  public void wire(StreamExecutionEnvironment env, boolean bounded) {
    TaggingJob.onKafka(env, kafka, topics, groupId, bounded, settings);
  }

  /** The image resolution of the weights, read off their tensor shapes; "" is the default model. */
  public static int imageSize(String weights) {
    try {
      if (weights.isEmpty()) {
        return DefaultModel.manifest().path("config").path("image_resolution").asInt();
      }
      Path file = Path.of(weights);
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("no readable file");
      }
      return ClipConfig.inferFrom(shapes(SafeTensorsFile.read(file))).imageResolution();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          (weights.isEmpty() ? "the default model" : weights) + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, long[]> shapes(SafeTensorsFile file) {
    Map<String, long[]> out = new LinkedHashMap<>();
    file.tensors()
        .forEach((name, info) -> out.put(name, Arrays.copyOf(info.shape(), info.shape().length)));
    return out;
  }
}
