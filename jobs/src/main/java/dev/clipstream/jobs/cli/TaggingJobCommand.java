package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.weights.SafeTensorsFile;
import dev.clipstream.model.zeroshot.LabelSet;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream job tagging}: the tagging job on real Kafka topics. Job settings are Flink
 * configuration keys ({@link TaggingOptions}), given as {@code --set key=value}, so the same keys
 * work in a Flink configuration file.
 */
@Command(
    name = "tagging",
    mixinStandardHelpOptions = true,
    description = "Run the tagging job against a real Kafka.")
final class TaggingJobCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--set",
      description = "A job setting, e.g. batch.max-size=64 or topics.input=uploads; repeatable.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--weights",
      description = "Weights to serve (safetensors; default: the embedded default model).")
  Path weights;

  @Option(
      names = "--labels",
      split = ",",
      description = "Labels of the label set (default: Fashion-MNIST's ten classes).")
  List<String> labels;

  @Option(
      names = "--bounded",
      description =
          "Stop at the input topic's current end (a replay) instead of running until cancelled.")
  boolean bounded;

  @Option(
      names = "--checkpoint-interval-ms",
      defaultValue = "1000",
      description = "Checkpoints commit the exactly-once sinks (default ${DEFAULT-VALUE}).")
  long checkpointMillis;

  @Override
  public Integer call() throws Exception {
    Configuration config = Configuration.fromMap(settings);
    int imageSize;
    try {
      imageSize =
          weights == null
              ? DefaultModel.manifest().path("config").path("image_resolution").asInt()
              : ClipConfig.inferFrom(shapes(SafeTensorsFile.read(CliFiles.readable(weights))))
                  .imageResolution();
    } catch (RuntimeException e) {
      throw new UserError(
          (weights == null ? "the default model" : weights.toString()) + ": " + e.getMessage(), e);
    }
    TaggingJob.Settings job =
        new TaggingJob.Settings(
            weights == null ? "" : weights.toAbsolutePath().toString(),
            imageSize,
            TaggingOptions.batching(config),
            LabelSet.of(
                config.get(TaggingOptions.LABEL_SET),
                1,
                labels != null
                    ? labels.stream().map(String::strip).toList()
                    : FashionMnist.CLASSES),
            config.get(TaggingOptions.TOP_K),
            config.get(TaggingOptions.MODEL_STORE));
    TaggingJob.Topics topics =
        new TaggingJob.Topics(
            config.get(TaggingOptions.INPUT_TOPIC),
            config.get(TaggingOptions.RESULTS_TOPIC),
            config.get(TaggingOptions.DEAD_LETTER_TOPIC),
            config.get(TaggingOptions.LABEL_SETS_TOPIC),
            config.get(TaggingOptions.MODEL_UPDATES_TOPIC));
    requireTopics(kafka.toOptions(), topics);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.enableCheckpointing(checkpointMillis);
    TaggingJob.onKafka(
        env, kafka.toOptions(), topics, config.get(TaggingOptions.GROUP_ID), bounded, job);
    spec.commandLine()
        .getOut()
        .printf(
            "tagging %s -> %s (dead letters: %s) on %s%n",
            topics.input(), topics.results(), topics.deadLetters(), kafka.bootstrapServers);
    spec.commandLine().getOut().flush();
    env.execute("clipstream-tagging");
    return 0;
  }

  /** Fails with one line naming the missing topics, rather than a job that waits for them. */
  static void requireTopics(KafkaOptions kafka, TaggingJob.Topics topics) throws Exception {
    java.util.Set<String> existing;
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(kafka.toProperties())) {
      existing = admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new UserError("cannot list the topics of " + kafka.bootstrapServers() + ": " + e, e);
    }
    List<String> missing =
        java.util.stream.Stream.of(
                topics.input(),
                topics.results(),
                topics.deadLetters(),
                topics.labelSets(),
                topics.modelUpdates())
            .filter(t -> !existing.contains(t))
            .toList();
    if (!missing.isEmpty()) {
      throw new UserError(
          "missing topics "
              + String.join(", ", missing)
              + " on "
              + kafka.bootstrapServers()
              + " (the control topics label sets and model updates should be compacted)");
    }
  }

  static Map<String, long[]> shapes(SafeTensorsFile file) {
    Map<String, long[]> out = new LinkedHashMap<>();
    file.tensors()
        .forEach((name, info) -> out.put(name, Arrays.copyOf(info.shape(), info.shape().length)));
    return out;
  }
}
