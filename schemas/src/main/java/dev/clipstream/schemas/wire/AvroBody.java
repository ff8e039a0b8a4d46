package dev.clipstream.schemas.wire;

import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads the Avro binary body of a message, whatever framing carried it (single-object header,
 * Confluent's schema id), into a specific record, with every way a body can be bad as a typed
 * {@link WireError} instead of an exception.
 */
public final class AvroBody {
  static {
    WireLimits.apply();
  }

  private AvroBody() {}

  /**
   * Reads {@code payload} from {@code offset} to its end as one record written with {@code
   * writerSchema}, resolved into {@code readerSchema} of {@code type}.
   */
  public static <T extends SpecificRecord> DecodeResult<T> read(
      Class<T> type, Schema writerSchema, Schema readerSchema, byte[] payload, int offset) {
    SpecificDatumReader<T> reader;
    try {
      reader = new SpecificDatumReader<>(writerSchema, readerSchema);
    } catch (AvroRuntimeException e) {
      return fail(type, WireError.Kind.INCOMPATIBLE_SCHEMA, e.getMessage());
    }
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(payload, offset, payload.length - offset, null);
    String name = readerSchema.getName();
    try {
      T value = reader.read(null, new Utf8CheckingDecoder(decoder));
      if (!decoder.isEnd()) {
        return fail(
            type, WireError.Kind.TRAILING_BYTES, "bytes left after the " + name + " record");
      }
      return new DecodeResult.Decoded<>(value);
    } catch (EOFException e) {
      return fail(
          type, WireError.Kind.TRUNCATED_BODY, "the body ends before the " + name + " record does");
    } catch (Utf8CheckingDecoder.InvalidUtf8Exception e) {
      return fail(type, WireError.Kind.INVALID_UTF8, e.getMessage());
    } catch (AvroTypeException e) {
      return fail(type, WireError.Kind.INCOMPATIBLE_SCHEMA, e.getMessage());
    } catch (IOException | RuntimeException e) {
      // Avro reports a corrupt body as assorted runtime exceptions (negative length, bad union
      // index, array too large): for a reader they all mean the same thing.
      return fail(
          type,
          WireError.Kind.MALFORMED_BODY,
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  static <T> DecodeResult<T> fail(Class<?> type, WireError.Kind kind, String message) {
    return new DecodeResult.Failed<>(new WireError(kind, type.getSimpleName() + " " + message));
  }
}
