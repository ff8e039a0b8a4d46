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

  @Test
  void takesTheUsersTransactionTimeoutPropertyAndRefusesTwoThatDisagree() {
    org.apache.flink.configuration.Configuration config =
        new org.apache.flink.configuration.Configuration();
    KafkaOptions fromProperty =
        KafkaOptions.from("k:9092", Map.of("transaction.timeout.ms", "120000"), config);
    assertEquals(java.time.Duration.ofMinutes(2), fromProperty.transactionTimeout());
    assertEquals(
        KafkaOptions.DEFAULT_TRANSACTION_TIMEOUT,
        KafkaOptions.from("k:9092", Map.of(), config).transactionTimeout());

    config.set(KafkaOptions.TRANSACTION_TIMEOUT, java.time.Duration.ofMinutes(5));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> KafkaOptions.from("k:9092", Map.of("transaction.timeout.ms", "120000"), config));
    assertEquals(
        "kafka.transaction-timeout (300000 ms) and transaction.timeout.ms in kafka.properties"
            + " (120000 ms) disagree: set one",
        e.getMessage());
  }

  @Test
  void prefixesTransactionalIdsWithTheDeploymentSoThatNoneBeginsAnother() {
    org.apache.flink.configuration.Configuration config =
        new org.apache.flink.configuration.Configuration();
    assertEquals(
        "clipstream.tagging-results.",
        KafkaOptions.from("k:9092", Map.of(), config).transactionalIdPrefix("tagging-results"));
    config.set(KafkaOptions.DEPLOYMENT, "prod");
    String prod =
        KafkaOptions.from("k:9092", Map.of(), config).transactionalIdPrefix("tagging-results");
    config.set(KafkaOptions.DEPLOYMENT, "prod-eu");
    String prodEu =
        KafkaOptions.from("k:9092", Map.of(), config).transactionalIdPrefix("tagging-results");
    org.junit.jupiter.api.Assertions.assertFalse(prodEu.startsWith(prod), prodEu + " / " + prod);
    assertEquals(
        org.apache.flink.connector.kafka.sink.TransactionNamingStrategy.POOLING,
        KafkaOptions.from("k:9092", Map.of(), config).transactionNaming());

    config.set(KafkaOptions.DEPLOYMENT, "Prod EU");
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> KafkaOptions.from("k:9092", Map.of(), config));
    assertEquals(
        "deployment.name 'Prod EU' is not a name: lower-case letters, digits and '-', at most 63",
        e.getMessage());
  }
}
