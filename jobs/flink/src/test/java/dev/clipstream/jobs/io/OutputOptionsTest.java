package dev.clipstream.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clipstream.schemas.format.WireFormat;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The output settings read from configuration keys, and their one-line errors. */
class OutputOptionsTest {

  @Test
  void defaultsToSingleObjectAvroWithoutARegistry() {
    OutputOptions options = OutputOptions.from(new Configuration());
    assertEquals(WireFormat.AVRO_SINGLE_OBJECT, options.format());
    assertNull(options.registry());
    assertEquals(Delivery.EXACTLY_ONCE, options.delivery());
  }

  @Test
  void readsTheDeliveryMode() {
    OutputOptions options =
        OutputOptions.from(Configuration.fromMap(Map.of("output.delivery", "at-least-once")));
    assertEquals(Delivery.AT_LEAST_ONCE, options.delivery());
    assertEquals(
        org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE,
        options.delivery().guarantee());
  }

  @Test
  void atLeastOnceKeysEveryDeadLetterExactlyOnceKeepsTheEventId() {
    dev.clipstream.schemas.DeadLetter unread =
        dev.clipstream.schemas.DeadLetter.newBuilder()
            .setSourceTopic("images")
            .setSourcePartition(1)
            .setSourceOffset(42)
            .setEventId(null)
            .setStage(dev.clipstream.schemas.FailureStage.DESERIALIZE)
            .setReason("WRONG_MARKER")
            .setPayload(java.nio.ByteBuffer.wrap(new byte[] {1}))
            .setFailedTime(java.time.Instant.EPOCH)
            .build();
    assertEquals("images/1/42", Delivery.AT_LEAST_ONCE.deadLetterKey(unread));
    assertNull(Delivery.EXACTLY_ONCE.deadLetterKey(unread));
    unread.setEventId("e-1");
    assertEquals("e-1", Delivery.AT_LEAST_ONCE.deadLetterKey(unread));
    assertEquals("e-1", Delivery.EXACTLY_ONCE.deadLetterKey(unread));
  }

  @Test
  void readsTheFormatTheRegistryAndItsProperties() {
    OutputOptions options =
        OutputOptions.from(
            Configuration.fromMap(
                Map.of(
                    "output.format", "confluent-avro",
                    "output.schema-registry.url", "https://registry:8081/",
                    "output.schema-registry.properties",
                        "basic.auth.user.info:'u:p',request.timeout.ms:5000",
                    "output.schema-registry.auto-register", "false")));
    assertEquals(WireFormat.CONFLUENT_AVRO, options.format());
    assertEquals("https://registry:8081", options.registry().url());
    assertEquals("u:p", options.registry().properties().get("basic.auth.user.info"));
    assertEquals(java.time.Duration.ofSeconds(5), options.registry().timeout());
    assertEquals(false, options.autoRegister());
  }

  @Test
  void badValuesAreOneLineNamingTheKey() {
    assertEquals(
        "output.format: 'avro' is not an output format: avro-single-object | confluent-avro | json"
            + " are",
        error(Map.of("output.format", "avro")));
    assertEquals(
        "output.delivery: 'exactly_once' is not a delivery mode: exactly-once | at-least-once"
            + " are",
        error(Map.of("output.delivery", "exactly_once")));
    assertEquals(
        "output.format=confluent-avro needs output.schema-registry.url",
        error(Map.of("output.format", "confluent-avro")));
    assertEquals(
        "output.schema-registry.url: schema registry URL 'registry:8081' is not an http:// or"
            + " https:// URL with a host",
        error(Map.of("output.schema-registry.url", "registry:8081")));
    assertEquals(
        "output.schema-registry.properties: schema registry properties [auto.register] are not"
            + " known; known: [basic.auth.user.info, bearer.auth.token, request.timeout.ms,"
            + " ssl.truststore.location, ssl.truststore.password, ssl.truststore.type]",
        error(
            Map.of(
                "output.schema-registry.url", "http://r:8081",
                "output.schema-registry.properties", "auto.register:true")));
  }

  private static String error(Map<String, String> keys) {
    return assertThrows(
            IllegalArgumentException.class, () -> OutputOptions.from(Configuration.fromMap(keys)))
        .getMessage();
  }
}
