package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.io.KafkaOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a command reaches a real Kafka: bootstrap servers and client properties (security settings
 * pass through).
 */
final class KafkaClientOptions {

  @Option(
      names = "--bootstrap-servers",
      required = true,
      description = "Kafka brokers, host:port[,host:port...].")
  String bootstrapServers;

  @Option(
      names = "--property",
      description = "A Kafka client property, e.g. security.protocol=SSL; repeatable.")
  Map<String, String> properties = new LinkedHashMap<>();

  KafkaOptions toOptions() {
    return new KafkaOptions(bootstrapServers, properties, KafkaOptions.DEFAULT_TRANSACTION_TIMEOUT);
  }

  /** Client configuration for a plain producer or consumer. */
  Map<String, Object> clientConfig() {
    Map<String, Object> config = new LinkedHashMap<>(properties);
    config.put("bootstrap.servers", bootstrapServers);
    return config;
  }

  /** Sends one record and waits until the brokers have it. */
  void sendOne(String topic, String key, byte[] value) throws Exception {
    Map<String, Object> config = clientConfig();
    config.put("acks", "all");
    config.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
    config.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
    try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(config)) {
      producer
          .send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  topic, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value))
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
