package dev.clipstream.jobs.io;

import dev.clipstream.schemas.format.SchemaRegistrySettings;
import dev.clipstream.schemas.format.WireFormat;
import java.io.Serializable;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The wire format of the tagging job's results and dead letters ({@code output.format}) and, for
 * {@code confluent-avro}, the schema registry the subjects {@code <topic>-value} are registered in;
 * and what their sinks promise ({@code output.delivery}). Readers (the index job, {@code clipstream
 * consume}, the demo) tell the formats apart by their first byte and need only the registry
 * settings. See docs/output-formats.md and docs/reliability.md#delivery-modes.
 */
public record OutputOptions(
    WireFormat format, SchemaRegistrySettings registry, boolean autoRegister, Delivery delivery)
    implements Serializable {

  public static final ConfigOption<String> FORMAT =
      ConfigOptions.key("output.format")
          .stringType()
          .defaultValue(WireFormat.AVRO_SINGLE_OBJECT.key())
          .withDescription(
              "Wire format of the results and dead-letter topics: avro-single-object (C3 01,"
                  + " schema fingerprint, Avro binary), confluent-avro (00, schema registry id,"
                  + " Avro binary; needs output.schema-registry.url) or json (one plain JSON"
                  + " object per record; docs/output-formats.md).");

  public static final ConfigOption<String> REGISTRY_URL =
      ConfigOptions.key("output.schema-registry.url")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Base URL of a Confluent-compatible schema registry (Apicurio Registry 3:"
                  + " http://host:8080/apis/ccompat/v7), for writing and reading confluent-avro.");

  public static final ConfigOption<Map<String, String>> REGISTRY_PROPERTIES =
      ConfigOptions.key("output.schema-registry.properties")
          .mapType()
          .defaultValue(Map.of())
          .withDescription(
              "Schema registry client properties, k:v,k:v (quote a value with a colon:"
                  + " basic.auth.user.info:'user:password'): basic.auth.user.info,"
                  + " bearer.auth.token, ssl.truststore.location, ssl.truststore.password,"
                  + " ssl.truststore.type, request.timeout.ms.");

  public static final ConfigOption<Boolean> AUTO_REGISTER =
      ConfigOptions.key("output.schema-registry.auto-register")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Register the schemas of the subjects <topic>-value when the sinks open (true), or"
                  + " only look up their ids, failing if an administrator has not registered them"
                  + " (false).");

  public static final ConfigOption<String> DELIVERY =
      ConfigOptions.key("output.delivery")
          .stringType()
          .defaultValue(Delivery.EXACTLY_ONCE.key())
          .withDescription(
              "What the results and dead-letter sinks promise: exactly-once (Kafka transactions"
                  + " committed at checkpoints; read_committed consumers see each record once, when"
                  + " the next checkpoint completes) or at-least-once (no transactions, flushed at"
                  + " checkpoints: readable as soon as written; after a failure what came after the"
                  + " last checkpoint is written again under the same key, for consumers that"
                  + " dedupe by key or read a compacted topic; docs/reliability.md).");

  /** Exactly once. */
  public OutputOptions(WireFormat format, SchemaRegistrySettings registry, boolean autoRegister) {
    this(format, registry, autoRegister, Delivery.EXACTLY_ONCE);
  }

  public OutputOptions {
    java.util.Objects.requireNonNull(delivery, "delivery");
    if (format == WireFormat.CONFLUENT_AVRO && registry == null) {
      throw new IllegalArgumentException(
          FORMAT.key() + "=confluent-avro needs " + REGISTRY_URL.key());
    }
  }

  /** Single-object Avro, no registry. */
  public static OutputOptions defaults() {
    return new OutputOptions(WireFormat.AVRO_SINGLE_OBJECT, null, true);
  }

  /** Writing {@code format}, with the registry at {@code registryUrl} (may be null). */
  public static OutputOptions of(WireFormat format, String registryUrl) {
    return new OutputOptions(
        format, registryUrl == null ? null : SchemaRegistrySettings.of(registryUrl), true);
  }

  /** The options {@code config} sets; a bad value is a one-line exception naming the key. */
  public static OutputOptions from(ReadableConfig config) {
    WireFormat format;
    try {
      format = WireFormat.parse(config.get(FORMAT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(FORMAT.key() + ": " + e.getMessage(), e);
    }
    Delivery delivery;
    try {
      delivery = Delivery.parse(config.get(DELIVERY));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(DELIVERY.key() + ": " + e.getMessage(), e);
    }
    return new OutputOptions(format, registry(config), config.get(AUTO_REGISTER), delivery);
  }

  /** These options with {@code mode} as the sinks' delivery. */
  public OutputOptions withDelivery(Delivery mode) {
    return new OutputOptions(format, registry, autoRegister, mode);
  }

  /** The registry {@code config} names, or null. */
  public static SchemaRegistrySettings registry(ReadableConfig config) {
    String url = config.getOptional(REGISTRY_URL).orElse("").strip();
    if (url.isEmpty()) {
      return null;
    }
    // Flink's own parse error of the map already names its key.
    Map<String, String> properties = config.get(REGISTRY_PROPERTIES);
    try {
      return new SchemaRegistrySettings(url, properties);
    } catch (IllegalArgumentException e) {
      String key =
          e.getMessage().startsWith("schema registry URL")
              ? REGISTRY_URL.key()
              : REGISTRY_PROPERTIES.key();
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }
}
