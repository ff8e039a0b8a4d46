package dev.clipstream.schemas.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one record type: marker {@code C3 01}, the writer schema's 8-byte
 * little-endian fingerprint, then the binary body. Decoding never throws for bad bytes: it returns
 * a {@link DecodeResult.Failed} naming the reason, so that a bad payload becomes a dead letter.
 */
public final class SingleObjectCodec<T extends SpecificRecord> {

  /** The two marker bytes of Avro's single-object encoding (Avro specification, version 1). */
  static final byte MARKER_0 = (byte) 0xC3;

  static final byte MARKER_1 = (byte) 0x01;

  /** Marker plus fingerprint. */
  public static final int HEADER_LENGTH = 10;

  static {
    WireLimits.apply();
  }

  private final Class<T> type;
  private final Schema readerSchema;
  private final long readerFingerprint;
  private final SchemaCatalog catalog;
  private final SpecificDatumWriter<T> writer;

  private SingleObjectCodec(Class<T> type, SchemaCatalog catalog) {
    this.type = type;
    this.readerSchema = SpecificData.get().getSchema(type);
    this.readerFingerprint = SchemaCatalog.fingerprint(readerSchema);
    this.catalog = catalog;
    catalog.add(readerSchema);
    this.writer = new SpecificDatumWriter<>(readerSchema);
  }

  /** A codec that reads the current schema of {@code type} and its shipped earlier versions. */
  public static <T extends SpecificRecord> SingleObjectCodec<T> of(Class<T> type) {
    return new SingleObjectCodec<>(type, SchemaCatalog.withHistory(java.util.List.of()));
  }

  /** A codec that reads any writer schema in {@code catalog} into {@code type}. */
  public static <T extends SpecificRecord> SingleObjectCodec<T> of(
      Class<T> type, SchemaCatalog catalog) {
    return new SingleObjectCodec<>(type, catalog);
  }

  /** The schema records are read into and written with. */
  public Schema schema() {
    return readerSchema;
  }

  /** Encodes a record with the current schema. */
  public byte[] encode(T record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MARKER_0);
    out.write(MARKER_1);
    out.writeBytes(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(readerFingerprint).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** Decodes one payload, or says why it is not a readable {@code T}. */
  public DecodeResult<T> decode(byte[] payload) {
    if (payload == null || payload.length < HEADER_LENGTH) {
      int n = payload == null ? 0 : payload.length;
      return fail(
          WireError.Kind.TOO_SHORT,
          n + " bytes; a single-object message has at least " + HEADER_LENGTH);
    }
    if (payload[0] != MARKER_0 || payload[1] != MARKER_1) {
      return fail(
          WireError.Kind.WRONG_MARKER,
          String.format(
              "starts with %02X %02X, not the single-object marker C3 01", payload[0], payload[1]));
    }
    long fingerprint = ByteBuffer.wrap(payload, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Schema writerSchema = catalog.findByFingerprint(fingerprint);
    if (writerSchema == null) {
      return fail(
          WireError.Kind.UNKNOWN_FINGERPRINT,
          "schema fingerprint "
              + SchemaCatalog.hex(fingerprint)
              + " is not a known "
              + readerSchema.getName()
              + " schema");
    }
    return decodeBody(payload, writerSchema);
  }

  private DecodeResult<T> decodeBody(byte[] payload, Schema writerSchema) {
    return AvroBody.read(type, writerSchema, readerSchema, payload, HEADER_LENGTH);
  }

  private DecodeResult<T> fail(WireError.Kind kind, String message) {
    return new DecodeResult.Failed<>(new WireError(kind, type.getSimpleName() + " " + message));
  }
}
