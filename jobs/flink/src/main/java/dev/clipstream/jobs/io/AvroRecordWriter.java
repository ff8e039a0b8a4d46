package dev.clipstream.jobs.io;

import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records of one Avro type to one topic in single-object encoding, keyed as asked. It names
 * its topic to the sink ({@link KafkaDatasetFacetProvider}), which the pooling transaction naming
 * needs to find the transactions left open on it.
 */
public final class AvroRecordWriter<T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final String topic;
  private final SerializableFunction<T, String> key;
  private transient SingleObjectCodec<T> codec;

  public AvroRecordWriter(Class<T> type, String topic, SerializableFunction<T, String> key) {
    this.type = type;
    this.topic = topic;
    this.key = key;
  }

  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return Optional.of(
        new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    if (codec == null) {
      codec = SingleObjectCodec.of(type);
    }
    String k = key.apply(element);
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        k == null ? null : k.getBytes(StandardCharsets.UTF_8),
        codec.encode(element));
  }
}
