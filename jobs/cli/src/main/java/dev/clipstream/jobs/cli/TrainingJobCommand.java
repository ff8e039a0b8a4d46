package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.jobs.training.ContinualTrainingJob;
import dev.clipstream.jobs.training.TrainingOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * {@code clipstream job training}: the continual-training side job on real Kafka topics; settings
 * are Flink configuration keys ({@link TrainingOptions}, and the tagging job's topic and {@code
 * model.store} keys) given as {@code --set key=value}.
 */
@Command(
    name = "training",
    mixinStandardHelpOptions = true,
    description =
        "Run the continual-training job: learn from captioned events, publish gated model updates.")
final class TrainingJobCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--set",
      description =
          "A job setting, e.g. model.store=/models or training.batch-size=128; repeatable.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--weights",
      description = "Weights to start from (safetensors; default: the embedded default model).")
  Path weights;

  @Option(
      names = "--bounded",
      description = "Stop at the input topic's current end instead of running until cancelled.")
  boolean bounded;

  @Option(
      names = "--checkpoint-interval-ms",
      defaultValue = "5000",
      description =
          "Flink checkpoints; each writes the weights of the current step (default ${DEFAULT-VALUE}).")
  long checkpointMillis;

  @Override
  public Integer call() throws Exception {
    Configuration config = Configuration.fromMap(settings);
    TrainingOptions.Settings job;
    int imageSize;
    dev.clipstream.jobs.io.KafkaOptions kafkaOptions;
    try {
      job =
          TrainingOptions.settings(
              config,
              weights == null ? "" : CliFiles.readable(weights).toAbsolutePath().toString(),
              config.get(TaggingOptions.MODEL_STORE));
      imageSize = dev.clipstream.jobs.deploy.TaggingJobSetup.imageSize(job.weights());
      kafkaOptions =
          dev.clipstream.jobs.io.KafkaOptions.from(
              kafka.bootstrapServers, kafka.properties, config);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.enableCheckpointing(checkpointMillis);
    String input = config.get(TaggingOptions.INPUT_TOPIC);
    String updates = config.get(TaggingOptions.MODEL_UPDATES_TOPIC);
    try {
      ContinualTrainingJob.onKafka(
          env,
          kafkaOptions,
          input,
          updates,
          TrainingOptions.groupId(config),
          bounded,
          imageSize,
          job,
          config.get(dev.clipstream.jobs.control.ControlOptions.SIGNING_KEY));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "training on captioned events of %s -> %s (store %s) on %s%n",
            input, updates, job.store(), kafka.bootstrapServers);
    spec.commandLine().getOut().flush();
    env.execute("clipstream-training");
    return 0;
  }
}
