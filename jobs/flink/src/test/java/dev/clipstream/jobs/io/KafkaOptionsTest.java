package dev.clipstream.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaOptionsTest {

  @Test
  void passesTheUsersSecuritySettingsThroughUnchanged() {
    Map<String, String> security =
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.truststore.location", "/etc/kafka/trust.p12");
    Properties p =
        new KafkaOptions("broker:9093", security, KafkaOptions.DEFAULT_TRANSACTION_TIMEOUT)
            .toProperties();

    security.forEach((k, v) -> assertEquals(v, p.getProperty(k), k));
    assertEquals("broker:9093", p.getProperty("bootstrap.servers"));
    assertEquals(security.size() + 1, p.size());
  }

  @Test
  void theBootstrapServersOptionWinsOverAPropertyOfTheSameName() {
    Properties p =
        new KafkaOptions(
                "right:9092",
                Map.of("bootstrap.servers", "wrong:9092"),
                KafkaOptions.DEFAULT_TRANSACTION_TIMEOUT)
            .toProperties();
    assertEquals("right:9092", p.getProperty("bootstrap.servers"));
  }
}
