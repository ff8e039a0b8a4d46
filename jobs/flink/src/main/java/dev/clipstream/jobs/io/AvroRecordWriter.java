package dev.clipstream.jobs.io;

import dev.clipstream.schemas.format.ConfluentAvroCodec;
import dev.clipstream.schemas.format.JsonCodec;
import dev.clipstream.schemas.format.SchemaRegistryClient;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records of one Avro type to one topic in the configured {@link OutputOptions#format()},
 * keyed as asked. For Confluent's format it registers (or looks up) the subject {@code
 * <topic>-value} when the sink opens, so every record carries the registry's id of its schema. It
 * names its topic to the sink ({@link KafkaDatasetFacetProvider}), which the pooling transaction
 * naming needs to find the transactions left open on it.
 */
public final class AvroRecordWriter<T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AvroRecordWriter.class);

  private final Class<T> type;
  private final String topic;
  private final SerializableFunction<T, String> key;
  private final OutputOptions output;
  private transient Function<T, byte[]> encoder;

  /** A writer of single-object Avro. */
  public AvroRecordWriter(Class<T> type, String topic, SerializableFunction<T, String> key) {
    this(type, topic, key, OutputOptions.defaults());
  }

  public AvroRecordWriter(
      Class<T> type, String topic, SerializableFunction<T, String> key, OutputOptions output) {
    this.type = type;
    this.topic = topic;
    this.key = key;
    this.output = output;
  }

  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return Optional.of(
        new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
  }

  @Override
  public void open(
      SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    encoder = encoder();
  }

  /** The encoding of the configured format; for Confluent's, asks the registry for the id. */
  private Function<T, byte[]> encoder() {
    switch (output.format()) {
      case JSON -> {
        JsonCodec<T> json = JsonCodec.of(type);
        return json::encode;
      }
      case CONFLUENT_AVRO -> {
        ConfluentAvroCodec<T> codec = ConfluentAvroCodec.of(type);
        SchemaRegistryClient registry = new SchemaRegistryClient(output.registry());
        String subject = SchemaRegistryClient.valueSubject(topic);
        int id =
            output.autoRegister()
                ? registry.register(subject, codec.schema())
                : registry.lookup(subject, codec.schema());
        LOG.info(
            "{} records go to {} as confluent-avro with schema id {} (subject {} at {})",
            type.getSimpleName(),
            topic,
            id,
            subject,
            output.registry().url());
        return record -> codec.encode(record, id);
      }
      default -> {
        SingleObjectCodec<T> codec = SingleObjectCodec.of(type);
        return codec::encode;
      }
    }
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    if (encoder == null) {
      encoder = encoder();
    }
    String k = key.apply(element);
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        k == null ? null : k.getBytes(StandardCharsets.UTF_8),
        encoder.apply(element));
  }
}
