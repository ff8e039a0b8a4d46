package dev.clipstream.jobs.deploy;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * The tagging job's entry point on a Flink cluster ({@code flink run -c}, the operator's {@code
 * entryClass}). Its settings are the cluster's Flink configuration (a configuration file, {@code
 * -Dkey=value}, a FlinkDeployment's {@code flinkConfiguration}) with the program arguments {@code
 * --key value} over it; both use the keys of {@code clipstream job tagging --set key=value}.
 */
public final class TaggingJobMain {
  private TaggingJobMain() {}

  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    Configuration config = configuration(env.getConfiguration(), args);
    requireCheckpointing(config);
    // Flink keys among the program arguments (the checkpoint interval) must reach the job itself,
    // not only the check above: without this the job ran with no checkpoints and committed nothing.
    env.configure(config);
    TaggingJobSetup.from(config).wire(env, false);
    env.execute(TaggingJobSetup.JOB_NAME);
  }

  /** The Flink configuration with the program arguments ({@code --key value}) over it. */
  public static Configuration configuration(ReadableConfig flink, String... args) {
    Configuration config = Configuration.fromMap(flink.toMap());
    config.addAll(ParameterTool.fromArgs(args).getConfiguration());
    return config;
  }

  /**
   * The results and dead letters are written exactly once, committed at each checkpoint: without
   * checkpoints the job would run and never commit a result, so it refuses to start instead.
   */
  public static void requireCheckpointing(ReadableConfig config) {
    if (config.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
      throw new IllegalArgumentException(
          CheckpointingOptions.CHECKPOINTING_INTERVAL.key()
              + " is not set: results are committed at checkpoints (e.g. 10s)");
    }
  }
}
