package dev.clipstream.jobs.deploy;

import dev.clipstream.jobs.index.IndexJob;
import dev.clipstream.jobs.index.IndexOptions;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.tagging.TaggingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The index job's entry point on a Flink cluster ({@code flink run -c
 * dev.clipstream.jobs.deploy.IndexJobMain}), configured like {@link TaggingJobMain}: {@code
 * kafka.bootstrap-servers}, {@code topics.results}, {@code index.path} (a folder every TaskManager
 * that may run the writer can reach, and the searches too), {@code index.group-id}.
 */
public final class IndexJobMain {
  private IndexJobMain() {}

  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    Configuration config = TaggingJobMain.configuration(env.getConfiguration(), args);
    TaggingJobMain.requireCheckpointing(config);
    String bootstrapServers = config.getOptional(TaggingOptions.BOOTSTRAP_SERVERS).orElse("");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          TaggingOptions.BOOTSTRAP_SERVERS.key() + " is not set: name the Kafka brokers");
    }
    IndexJob.onKafka(
        env,
        new KafkaOptions(
            bootstrapServers,
            config.get(LaunchOptions.KAFKA_PROPERTIES),
            KafkaOptions.DEFAULT_TRANSACTION_TIMEOUT),
        config.get(TaggingOptions.RESULTS_TOPIC),
        config.get(IndexOptions.GROUP_ID),
        false,
        IndexOptions.Settings.from(config));
    env.execute(IndexJob.JOB_NAME);
  }
}
