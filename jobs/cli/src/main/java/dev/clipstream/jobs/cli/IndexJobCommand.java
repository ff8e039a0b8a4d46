package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.index.IndexJob;
import dev.clipstream.jobs.index.IndexOptions;
import dev.clipstream.jobs.tagging.TaggingOptions;
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
 * {@code clipstream job index}: the index job, from the results topic ({@code topics.results}) into
 * the Lucene index at {@code --index}.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = "Index the tagging job's results for search (docs/search.md).")
final class IndexJobCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(names = "--index", required = true, description = "The index folder (index.path).")
  Path index;

  @Option(
      names = "--set",
      description =
          "A setting: topics.results, index.group-id, index.ram-buffer-mb,"
              + " output.schema-registry.url (results written as confluent-avro); repeatable.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--bounded", description = "Stop at the results topic's current end.")
  boolean bounded;

  @Option(
      names = "--checkpoint-interval-ms",
      defaultValue = "1000",
      description = "Each checkpoint makes a Lucene commit searchable (default ${DEFAULT-VALUE}).")
  long checkpointMillis;

  @Override
  public Integer call() throws Exception {
    Configuration config = Configuration.fromMap(settings);
    config.set(IndexOptions.PATH, index.toAbsolutePath().toString());
    IndexOptions.Settings index;
    try {
      index = IndexOptions.Settings.from(config);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    String topic = config.get(TaggingOptions.RESULTS_TOPIC);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.enableCheckpointing(checkpointMillis);
    IndexJob.onKafka(
        env, kafka.toOptions(), topic, config.get(IndexOptions.GROUP_ID), bounded, index);
    spec.commandLine()
        .getOut()
        .printf("indexing %s into %s on %s%n", topic, index.path(), kafka.bootstrapServers);
    spec.commandLine().getOut().flush();
    env.execute(IndexJob.JOB_NAME);
    return 0;
  }
}
