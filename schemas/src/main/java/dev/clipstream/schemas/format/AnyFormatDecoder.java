package dev.clipstream.schemas.format;

import dev.clipstream.schemas.wire.DecodeResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import dev.clipstream.schemas.wire.WireError;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads a record of one type in whichever {@link WireFormat} it was written, told by its first
 * byte, so that a consumer need not be told the producer's {@code output.format}. A
 * Confluent-framed payload needs a schema registry to turn its id into the writer schema: without
 * one it is an {@code UNKNOWN_SCHEMA_ID} error naming the setting. A registry that cannot be
 * reached is an exception ({@link SchemaRegistryException}), not an error value: the record is
 * fine, and a job should retry it rather than skip it.
 */
public final class AnyFormatDecoder<T extends SpecificRecord> {
  private final Class<T> type;
  private final SingleObjectCodec<T> singleObject;
  private final ConfluentAvroCodec<T> confluent;
  private final JsonCodec<T> json;
  private final SchemaRegistryClient registry;

  private AnyFormatDecoder(Class<T> type, SchemaRegistryClient registry) {
    this.type = type;
    this.singleObject = SingleObjectCodec.of(type);
    this.confluent = ConfluentAvroCodec.of(type);
    this.json = JsonCodec.of(type);
    this.registry = registry;
  }

  /** A decoder that asks {@code registry} for Confluent schema ids; {@code null}: no registry. */
  public static <T extends SpecificRecord> AnyFormatDecoder<T> of(
      Class<T> type, SchemaRegistrySettings registry) {
    return new AnyFormatDecoder<>(
        type, registry == null ? null : new SchemaRegistryClient(registry));
  }

  /** A decoder of the two formats that need no registry (and the Confluent one refused). */
  public static <T extends SpecificRecord> AnyFormatDecoder<T> of(Class<T> type) {
    return new AnyFormatDecoder<>(type, null);
  }

  /** Decodes one payload, or says why it is not a readable {@code T}. */
  public DecodeResult<T> decode(byte[] payload) {
    Optional<WireFormat> format = WireFormat.detect(payload);
    if (format.isEmpty()) {
      String start =
          payload == null || payload.length == 0
              ? "is empty"
              : String.format("starts with %02X", payload[0]);
      return new DecodeResult.Failed<>(
          new WireError(
              WireError.Kind.WRONG_MARKER,
              type.getSimpleName()
                  + " "
                  + start
                  + ": not single-object Avro (C3 01), Confluent-framed Avro (00) or JSON ({)"));
    }
    return switch (format.get()) {
      case AVRO_SINGLE_OBJECT -> singleObject.decode(payload);
      case JSON -> json.decode(payload);
      case CONFLUENT_AVRO ->
          registry == null
              ? new DecodeResult.Failed<>(
                  new WireError(
                      WireError.Kind.UNKNOWN_SCHEMA_ID,
                      type.getSimpleName()
                          + " is Confluent-framed Avro and no schema registry is configured"
                          + " (output.schema-registry.url)"))
              : confluent.decode(payload, registry::schema);
    };
  }

  /** Whether this decoder can read Confluent-framed payloads. */
  public boolean hasRegistry() {
    return registry != null;
  }
}
