package dev.clipstream.jobs.index;

import dev.clipstream.jobs.io.KafkaConnections;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.io.KafkaRecord;
import dev.clipstream.schemas.TagResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The index job: the results topic, read committed (so only results of completed tagging
 * checkpoints), decoded and upserted into the Lucene index by {@link IndexSink}. It is a job of its
 * own, downstream of the tagging job, so indexing never slows tagging and either restarts alone.
 */
public final class IndexJob {
  private IndexJob() {}

  public static final String JOB_NAME = "clipstream-index";

  /** Wires the job on the Kafka topic {@code resultsTopic}. */
  public static void onKafka(
      StreamExecutionEnvironment env,
      KafkaOptions kafka,
      String resultsTopic,
      String groupId,
      boolean bounded,
      IndexOptions.Settings settings) {
    defineWorkflow(
        env, KafkaConnections.rawSource(kafka, resultsTopic, groupId, bounded), settings);
  }

  /** Wires source → decode → index sink (parallelism 1). */
  public static void defineWorkflow(
      StreamExecutionEnvironment env,
      Source<KafkaRecord, ?, ?> results,
      IndexOptions.Settings settings) {
    env.fromSource(results, WatermarkStrategy.noWatermarks(), "kafka-results")
        .process(new ReadTagResult(settings.registry()))
        .returns(TagResult.class)
        .name("read-tag-result")
        .uid("read-tag-result")
        .sinkTo(new IndexSink(settings))
        .setParallelism(1)
        .name("lucene-index")
        .uid("lucene-index");
  }
}
