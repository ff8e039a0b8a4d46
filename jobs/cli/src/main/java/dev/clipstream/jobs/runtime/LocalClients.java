package dev.clipstream.jobs.runtime;

import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The plain Kafka clients the embedded runtime's own tools use (the demo, the bench, the soak):
 * byte-array records on an unsecured local broker.
 */
public final class LocalClients {
  private LocalClients() {}

  /** A producer that waits for all replicas and batches for 5 ms. */
  public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.of(
            "bootstrap.servers",
            bootstrapServers,
            "acks",
            "all",
            "linger.ms",
            5,
            "key.serializer",
            ByteArraySerializer.class,
            "value.serializer",
            ByteArraySerializer.class));
  }

  /** A consumer of committed records only, from the earliest offset for a new group. */
  public static KafkaConsumer<byte[], byte[]> readCommitted(
      String bootstrapServers, String groupId) {
    return new KafkaConsumer<>(
        Map.of(
            "bootstrap.servers",
            bootstrapServers,
            "group.id",
            groupId,
            "auto.offset.reset",
            "earliest",
            "isolation.level",
            "read_committed",
            "key.deserializer",
            ByteArrayDeserializer.class,
            "value.deserializer",
            ByteArrayDeserializer.class));
  }
}
