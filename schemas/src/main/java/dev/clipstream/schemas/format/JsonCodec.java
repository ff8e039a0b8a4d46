package dev.clipstream.schemas.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipstream.schemas.wire.AvroBody;
import dev.clipstream.schemas.wire.DecodeResult;
import dev.clipstream.schemas.wire.WireError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record type as plain JSON ({@link PlainJson}'s mapping): one UTF-8 JSON object per record.
 * Reading goes JSON → generic datum of the current schema → Avro binary → the specific class, so
 * the specific class's own conversions (timestamps as {@code Instant}) apply as for any Avro
 * reader.
 */
public final class JsonCodec<T extends SpecificRecord> {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Class<T> type;
  private final Schema schema;

  private JsonCodec(Class<T> type) {
    this.type = type;
    this.schema = SpecificData.get().getSchema(type);
  }

  public static <T extends SpecificRecord> JsonCodec<T> of(Class<T> type) {
    return new JsonCodec<>(type);
  }

  /** The record as one JSON object. */
  public byte[] encode(T record) {
    return PlainJson.write(record);
  }

  /** The record a JSON object holds, or why it holds none. */
  public DecodeResult<T> decode(byte[] payload) {
    JsonNode node;
    try {
      node = MAPPER.readTree(payload);
    } catch (JsonProcessingException e) {
      return fail("is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return fail("is not JSON: " + e.getMessage());
    }
    if (node == null) {
      return fail("is empty");
    }
    Object datum;
    try {
      datum = PlainJson.read(node, schema, "$");
    } catch (PlainJson.Mismatch e) {
      return fail("does not fit the " + schema.getName() + " schema: " + e.getMessage());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(512);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(body, null);
    try {
      new GenericDatumWriter<Object>(schema).write(datum, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return AvroBody.read(type, schema, schema, body.toByteArray(), 0);
  }

  private DecodeResult<T> fail(String message) {
    return new DecodeResult.Failed<>(
        new WireError(WireError.Kind.MALFORMED_JSON, type.getSimpleName() + " " + message));
  }
}
