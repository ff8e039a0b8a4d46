package dev.clipstream.schemas.format;

import dev.clipstream.schemas.wire.AvroBody;
import dev.clipstream.schemas.wire.DecodeResult;
import dev.clipstream.schemas.wire.WireError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record type in Confluent's wire format: the magic byte 0, the writer schema's id in a schema
 * registry as 4 bytes big-endian, then the Avro binary body. The ids are the registry's, so reading
 * needs the registry (or a cache of it) to turn an id into the writer schema.
 */
public final class ConfluentAvroCodec<T extends SpecificRecord> {

  /** Magic byte plus schema id. */
  public static final int HEADER_LENGTH = 5;

  /** Looks a schema id up; empty when the registry does not hold it. */
  @FunctionalInterface
  public interface SchemaLookup {
    Optional<Schema> schema(int id);
  }

  private final Class<T> type;
  private final Schema schema;
  private final SpecificDatumWriter<T> writer;

  private ConfluentAvroCodec(Class<T> type) {
    this.type = type;
    this.schema = SpecificData.get().getSchema(type);
    this.writer = new SpecificDatumWriter<>(schema);
  }

  public static <T extends SpecificRecord> ConfluentAvroCodec<T> of(Class<T> type) {
    return new ConfluentAvroCodec<>(type);
  }

  /** The schema records are written with (the one to register). */
  public Schema schema() {
    return schema;
  }

  /** The record framed with {@code schemaId}, the id the registry gave {@link #schema()}. */
  public byte[] encode(T record, int schemaId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(WireFormat.CONFLUENT_MAGIC);
    out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** The schema id of a framed payload (call after checking its length and magic byte). */
  public static int schemaId(byte[] payload) {
    return ByteBuffer.wrap(payload, 1, 4).getInt();
  }

  /** Decodes one payload with the writer schema {@code lookup} finds for its id. */
  public DecodeResult<T> decode(byte[] payload, SchemaLookup lookup) {
    if (payload == null || payload.length < HEADER_LENGTH) {
      int n = payload == null ? 0 : payload.length;
      return fail(
          WireError.Kind.TOO_SHORT,
          n + " bytes; a Confluent-framed message has at least " + HEADER_LENGTH);
    }
    if (payload[0] != WireFormat.CONFLUENT_MAGIC) {
      return fail(
          WireError.Kind.WRONG_MARKER,
          String.format("starts with %02X, not Confluent's magic byte 00", payload[0]));
    }
    int id = schemaId(payload);
    Optional<Schema> writerSchema = lookup.schema(id);
    if (writerSchema.isEmpty()) {
      return fail(
          WireError.Kind.UNKNOWN_SCHEMA_ID, "schema id " + id + " is not in the schema registry");
    }
    return AvroBody.read(type, writerSchema.get(), schema, payload, HEADER_LENGTH);
  }

  private DecodeResult<T> fail(WireError.Kind kind, String message) {
    return new DecodeResult.Failed<>(new WireError(kind, type.getSimpleName() + " " + message));
  }
}
