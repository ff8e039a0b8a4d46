package dev.clipstream.schemas.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Avro records as plain JSON, as search engines and Kafka Connect's schemaless JSON converter take
 * them (not Avro's own JSON encoding, which wraps every union value in an object naming its
 * branch): a record is an object with every field of its schema, in schema order, under the
 * schema's field name; a null is {@code null}; a union of null and one type is the value or {@code
 * null}; {@code long} timestamps (timestamp-millis) are milliseconds since the epoch; {@code bytes}
 * and {@code fixed} are base64 (RFC 4648, padded); enums are their symbol; arrays are arrays; maps
 * are objects.
 */
final class PlainJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private PlainJson() {}

  /** The JSON text of {@code record}, UTF-8. */
  static byte[] write(IndexedRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      value(json, record.getSchema(), record);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  private static void value(JsonGenerator json, Schema schema, Object v) throws IOException {
    switch (schema.getType()) {
      case NULL -> json.writeNull();
      case UNION -> union(json, schema, v);
      case RECORD -> {
        IndexedRecord r = (IndexedRecord) v;
        json.writeStartObject();
        for (Schema.Field f : schema.getFields()) {
          json.writeFieldName(f.name());
          value(json, f.schema(), r.get(f.pos()));
        }
        json.writeEndObject();
      }
      case ARRAY -> {
        json.writeStartArray();
        for (Object item : (Iterable<?>) v) {
          value(json, schema.getElementType(), item);
        }
        json.writeEndArray();
      }
      case MAP -> {
        json.writeStartObject();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          json.writeFieldName(e.getKey().toString());
          value(json, schema.getValueType(), e.getValue());
        }
        json.writeEndObject();
      }
      case STRING, ENUM -> json.writeString(v.toString());
      case BYTES -> json.writeString(base64((ByteBuffer) v));
      case FIXED ->
          json.writeString(Base64.getEncoder().encodeToString(((GenericFixed) v).bytes()));
      case BOOLEAN -> json.writeBoolean((Boolean) v);
      case INT -> json.writeNumber((Integer) v);
      case LONG -> json.writeNumber(v instanceof Instant t ? t.toEpochMilli() : (Long) v);
      case FLOAT -> json.writeNumber((Float) v);
      case DOUBLE -> json.writeNumber((Double) v);
    }
  }

  private static void union(JsonGenerator json, Schema union, Object v) throws IOException {
    if (v == null) {
      json.writeNull();
      return;
    }
    // GenericData picks the branch a value belongs to the way Avro's own writers do.
    int branch = GenericData.get().resolveUnion(union, v);
    value(json, union.getTypes().get(branch), v);
  }

  private static String base64(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Thrown by {@link #read} with the path of the field that does not fit. */
  static final class Mismatch extends Exception {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The generic datum (records as {@link GenericData.Record}, timestamps as longs) of {@code node}
   * read as {@code schema}; a missing field takes its default; fields the schema lacks are ignored.
   */
  static Object read(JsonNode node, Schema schema, String path) throws Mismatch {
    switch (schema.getType()) {
      case NULL -> {
        expect(node.isNull(), node, "null", path);
        return null;
      }
      case UNION -> {
        return readUnion(node, schema, path);
      }
      case RECORD -> {
        expect(node.isObject(), node, "an object", path);
        GenericData.Record r = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
          JsonNode field = node.get(f.name());
          if (field == null) {
            if (!f.hasDefaultValue()) {
              throw new Mismatch(path + "." + f.name() + " is missing");
            }
            r.put(f.pos(), GenericData.get().getDefaultValue(f));
          } else {
            r.put(f.pos(), read(field, f.schema(), path + "." + f.name()));
          }
        }
        return r;
      }
      case ARRAY -> {
        expect(node.isArray(), node, "an array", path);
        List<Object> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
          items.add(read(node.get(i), schema.getElementType(), path + "[" + i + "]"));
        }
        return items;
      }
      case MAP -> {
        expect(node.isObject(), node, "an object", path);
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          map.put(e.getKey(), read(e.getValue(), schema.getValueType(), path + "." + e.getKey()));
        }
        return map;
      }
      case STRING -> {
        expect(node.isTextual(), node, "a string", path);
        return node.textValue();
      }
      case ENUM -> {
        expect(node.isTextual() && schema.hasEnumSymbol(node.textValue()), node, "a symbol", path);
        return new GenericData.EnumSymbol(schema, node.textValue());
      }
      case BYTES -> {
        return ByteBuffer.wrap(base64(node, path));
      }
      case FIXED -> {
        byte[] bytes = base64(node, path);
        expect(bytes.length == schema.getFixedSize(), node, schema.getFixedSize() + " bytes", path);
        return new GenericData.Fixed(schema, bytes);
      }
      case BOOLEAN -> {
        expect(node.isBoolean(), node, "true or false", path);
        return node.booleanValue();
      }
      case INT -> {
        expect(node.isIntegralNumber() && node.canConvertToInt(), node, "an int", path);
        return node.intValue();
      }
      case LONG -> {
        expect(node.isIntegralNumber() && node.canConvertToLong(), node, "a long", path);
        return node.longValue();
      }
      case FLOAT -> {
        expect(node.isNumber(), node, "a number", path);
        return node.floatValue();
      }
      case DOUBLE -> {
        expect(node.isNumber(), node, "a number", path);
        return node.doubleValue();
      }
      default -> throw new Mismatch(path + ": type " + schema.getType() + " is not read");
    }
  }

  private static Object readUnion(JsonNode node, Schema union, String path) throws Mismatch {
    List<Schema> types = union.getTypes();
    if (node.isNull()) {
      for (Schema t : types) {
        if (t.getType() == Schema.Type.NULL) {
          return null;
        }
      }
    }
    Mismatch last = null;
    for (Schema t : types) {
      if (t.getType() == Schema.Type.NULL) {
        continue;
      }
      try {
        return read(node, t, path);
      } catch (Mismatch m) {
        last = m;
      }
    }
    throw last != null ? last : new Mismatch(path + " is not null");
  }

  private static byte[] base64(JsonNode node, String path) throws Mismatch {
    expect(node.isTextual(), node, "a base64 string", path);
    try {
      return Base64.getDecoder().decode(node.textValue());
    } catch (IllegalArgumentException e) {
      throw new Mismatch(path + " is not base64: " + e.getMessage());
    }
  }

  private static void expect(boolean ok, JsonNode node, String what, String path) throws Mismatch {
    if (!ok) {
      throw new Mismatch(
          path + " is " + node.getNodeType().toString().toLowerCase() + ", not " + what);
    }
  }
}
