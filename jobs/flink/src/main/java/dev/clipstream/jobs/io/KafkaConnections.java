package dev.clipstream.jobs.io;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Builds the Kafka sources and the sinks (exactly once, or at least once for {@code
 * output.delivery=at-least-once}) of the jobs from {@link KafkaOptions}.
 */
public final class KafkaConnections {
  private KafkaConnections() {}

  /**
   * A source of raw records from {@code topic}, read committed, from the group's offsets or the
   * earliest; bounded at the latest offsets when {@code bounded} (tests, replays).
   *
   * <p>The group's offsets are looked up by the enumerator when it first assigns the splits, so
   * every split carries a number into the checkpoints. {@link OffsetsInitializer#committedOffsets}
   * would leave the lookup to the reader instead, and a partition not yet read at a checkpoint
   * keeps "the committed offset" in it: a job restored from an older savepoint then starts that
   * partition at whatever the group committed since, skipping records (RawSourceRestoreITCase).
   */
  public static KafkaSource<KafkaRecord> rawSource(
      KafkaOptions kafka, String topic, String groupId, boolean bounded) {
    return source(
        kafka,
        java.util.List.of(topic),
        groupId,
        OffsetsInitializer.offsets(
            java.util.Map.of(), org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST),
        bounded);
  }

  /**
   * A source of the control topics, always from their earliest offsets when the job starts without
   * a checkpoint (the compacted label-sets topic then replays every definition's latest version); a
   * restored job resumes from its checkpointed offsets. Bounded with the input when {@code
   * bounded}.
   */
  public static KafkaSource<KafkaRecord> controlSource(
      KafkaOptions kafka, java.util.List<String> topics, String groupId, boolean bounded) {
    return source(kafka, topics, groupId, OffsetsInitializer.earliest(), bounded);
  }

  private static KafkaSource<KafkaRecord> source(
      KafkaOptions kafka,
      java.util.List<String> topics,
      String groupId,
      OffsetsInitializer start,
      boolean bounded) {
    KafkaSourceBuilder<KafkaRecord> builder =
        KafkaSource.<KafkaRecord>builder()
            .setProperties(kafka.toProperties())
            .setTopics(topics)
            .setGroupId(groupId)
            .setProperty("isolation.level", "read_committed")
            .setStartingOffsets(start)
            .setDeserializer(new KafkaRecordReader());
    if (bounded) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /**
   * An exactly-once sink of Avro records to {@code topic}, keyed by {@code key}, with the
   * transaction timeout and naming of {@code kafka}; {@code transactionalIdPrefix} should come from
   * {@link KafkaOptions#transactionalIdPrefix}, unique per deployment and sink.
   */
  public static <T extends SpecificRecord> KafkaSink<T> exactlyOnceSink(
      KafkaOptions kafka,
      Class<T> type,
      String topic,
      SerializableFunction<T, String> key,
      String transactionalIdPrefix) {
    return exactlyOnceSink(
        kafka, type, topic, key, transactionalIdPrefix, OutputOptions.defaults());
  }

  /**
   * A sink of Avro records to {@code topic}, keyed by {@code key}, in the wire format and with the
   * {@link OutputOptions#delivery()} of {@code output}: {@link #exactlyOnceSink} or {@link
   * #atLeastOnceSink} ({@code transactionalIdPrefix} is then unused).
   */
  public static <T extends SpecificRecord> KafkaSink<T> sink(
      KafkaOptions kafka,
      Class<T> type,
      String topic,
      SerializableFunction<T, String> key,
      String transactionalIdPrefix,
      OutputOptions output) {
    return output.delivery().transactional()
        ? exactlyOnceSink(kafka, type, topic, key, transactionalIdPrefix, output)
        : atLeastOnceSink(kafka, type, topic, key, output);
  }

  /**
   * An at-least-once sink: no transactions, so a record is readable (read_committed too) once the
   * broker has it; the writer flushes before each checkpoint barrier, so a completed checkpoint
   * covers every record sent before it. Kafka's idempotent producer (the client's default with
   * acks=all) keeps its own retries from writing twice; a job restart still replays what came after
   * the last checkpoint.
   */
  public static <T extends SpecificRecord> KafkaSink<T> atLeastOnceSink(
      KafkaOptions kafka,
      Class<T> type,
      String topic,
      SerializableFunction<T, String> key,
      OutputOptions output) {
    return sinkBuilder(kafka, type, topic, key, output)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }

  /** The same, writing the wire format of {@code output}. */
  public static <T extends SpecificRecord> KafkaSink<T> exactlyOnceSink(
      KafkaOptions kafka,
      Class<T> type,
      String topic,
      SerializableFunction<T, String> key,
      String transactionalIdPrefix,
      OutputOptions output) {
    return sinkBuilder(kafka, type, topic, key, output)
        .setProperty("transaction.timeout.ms", Long.toString(kafka.transactionTimeout().toMillis()))
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .setTransactionNamingStrategy(kafka.transactionNaming())
        .build();
  }

  /** The settings both deliveries share: the client's properties and the wire format. */
  private static <T extends SpecificRecord> KafkaSinkBuilder<T> sinkBuilder(
      KafkaOptions kafka,
      Class<T> type,
      String topic,
      SerializableFunction<T, String> key,
      OutputOptions output) {
    return KafkaSink.<T>builder()
        .setKafkaProducerConfig(kafka.toProperties())
        .setRecordSerializer(new AvroRecordWriter<>(type, topic, key, output));
  }
}
