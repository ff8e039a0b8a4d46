package dev.clipstream.jobs.deploy;

import dev.clipstream.jobs.control.ControlOptions;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.jobs.training.ContinualTrainingJob;
import dev.clipstream.jobs.training.TrainingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The continual-training job's entry point on a Flink cluster, configured like {@link
 * TaggingJobMain}: the Flink configuration with {@code --key value} program arguments over it, the
 * keys of {@code clipstream job training --set key=value} ({@link TrainingOptions}, the topics,
 * {@code model.store}, {@code model.weights}).
 */
public final class TrainingJobMain {
  private TrainingJobMain() {}

  /** The job's name in Flink's web UI and REST API. */
  public static final String JOB_NAME = "clipstream-training";

  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    Configuration config = TaggingJobMain.configuration(env.getConfiguration(), args);
    TaggingJobMain.requireCheckpointing(config);
    // Flink keys among the program arguments (the checkpoint interval) must reach the job itself,
    // not only the check above: without this the job ran with no checkpoints and committed nothing.
    env.configure(config);
    wire(env, config, false);
    env.execute(JOB_NAME);
  }

  /**
   * Wires the job as {@code config} describes it.
   *
   * @throws IllegalArgumentException when the brokers or the model store are missing
   */
  public static void wire(StreamExecutionEnvironment env, ReadableConfig config, boolean bounded) {
    String bootstrapServers = config.getOptional(TaggingOptions.BOOTSTRAP_SERVERS).orElse("");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          TaggingOptions.BOOTSTRAP_SERVERS.key() + " is not set: name the Kafka brokers");
    }
    String weights = config.get(LaunchOptions.WEIGHTS).strip();
    TrainingOptions.Settings settings =
        TrainingOptions.settings(config, weights, config.get(TaggingOptions.MODEL_STORE));
    ContinualTrainingJob.onKafka(
        env,
        KafkaOptions.from(bootstrapServers, config.get(LaunchOptions.KAFKA_PROPERTIES), config),
        config.get(TaggingOptions.INPUT_TOPIC),
        config.get(TaggingOptions.MODEL_UPDATES_TOPIC),
        TrainingOptions.groupId(config),
        bounded,
        TaggingJobSetup.imageSize(weights),
        settings,
        config.get(ControlOptions.SIGNING_KEY));
  }
}
