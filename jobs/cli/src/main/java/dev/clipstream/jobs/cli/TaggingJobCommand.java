package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.deploy.LaunchOptions;
import dev.clipstream.jobs.deploy.TaggingJobSetup;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.jobs.tagging.TaggingTopics;
import java.nio.file.Path;
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
    Configuration config = configuration();
    TaggingJobSetup setup;
    try {
      setup = TaggingJobSetup.from(config);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    requireTopics(setup.kafka(), setup.topics());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.enableCheckpointing(checkpointMillis);
    try {
      setup.wire(env, bounded);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    TaggingTopics topics = setup.topics();
    spec.commandLine()
        .getOut()
        .printf(
            "tagging %s -> %s (dead letters: %s) on %s%n",
            topics.input(), topics.results(), topics.deadLetters(), kafka.bootstrapServers);
    spec.commandLine().getOut().flush();
    env.execute(TaggingJobSetup.JOB_NAME);
    return 0;
  }

  /**
   * The job's configuration: the {@code --set} keys, with the flags over them. The flags are
   * shorthands for keys ({@code --bootstrap-servers} is {@code kafka.bootstrap-servers}, {@code
   * --weights} {@code model.weights}, {@code --labels} {@code labels.names}, {@code --property}
   * {@code kafka.properties}), so {@link TaggingJobSetup} reads them as a cluster would.
   */
  Configuration configuration() {
    Configuration config = Configuration.fromMap(settings);
    config.set(TaggingOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers);
    if (!kafka.properties.isEmpty()) {
      config.set(LaunchOptions.KAFKA_PROPERTIES, kafka.properties);
    }
    if (weights != null) {
      config.set(LaunchOptions.WEIGHTS, CliFiles.readable(weights).toAbsolutePath().toString());
    }
    if (labels != null) {
      config.set(LaunchOptions.LABELS, labels.stream().map(String::strip).toList());
    }
    return config;
  }

  /** Fails with one line naming the missing topics, rather than a job that waits for them. */
  static void requireTopics(KafkaOptions kafka, TaggingTopics topics) throws Exception {
    java.util.Set<String> existing;
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(kafka.toProperties())) {
      existing = admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new UserError("cannot list the topics of " + kafka.bootstrapServers() + ": " + e, e);
    }
    List<String> missing =
        topics.definitions(1, (short) 1).stream()
            .map(org.apache.kafka.clients.admin.NewTopic::name)
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
}
