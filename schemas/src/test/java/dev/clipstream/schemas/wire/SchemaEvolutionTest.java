package dev.clipstream.schemas.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clipstream.schemas.ImageEvent;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * A field added with a default must not break either side: a newer reader reads an older writer's
 * events (taking the default), and an older reader reads a newer writer's (ignoring the field). The
 * other side is written by Avro's own encoder, from a schema that differs by one field.
 */
class SchemaEvolutionTest {

  /** ImageEvent as it would have been before {@code caption} and {@code attributes} existed. */
  static final Schema OLDER_IMAGE_EVENT = withoutFields("caption", "attributes");

  /** ImageEvent as a later version might add a field with a default. */
  static final Schema NEWER_IMAGE_EVENT =
      new Schema.Parser()
          .parse(
              ImageEvent.getClassSchema()
                  .toString()
                  .replace(
                      "\"fields\":[",
                      "\"fields\":[{\"name\":\"priority\",\"type\":\"int\",\"default\":0},"));

  @Test
  void aNewerReaderReadsAnOlderWritersEventWithTheDefaults() {
    GenericRecord old = new GenericData.Record(OLDER_IMAGE_EVENT);
    old.put("eventId", "old-1");
    old.put("eventTime", 1_700_000_000_000L);
    old.put("source", "legacy");
    old.put("image", ByteBuffer.wrap(new byte[] {1, 2}));
    old.put("contentType", "image/png");
    byte[] bytes = encode(OLDER_IMAGE_EVENT, old);

    SchemaCatalog catalog = new SchemaCatalog();
    catalog.add(OLDER_IMAGE_EVENT);
    ImageEvent read = SingleObjectCodec.of(ImageEvent.class, catalog).decode(bytes).value();

    assertEquals("old-1", read.getEventId());
    assertNull(read.getCaption());
    assertEquals(Map.of(), read.getAttributes());
  }

  @Test
  void anOlderReaderReadsANewerWritersEventIgnoringTheNewField() {
    GenericRecord newer = new GenericData.Record(NEWER_IMAGE_EVENT);
    newer.put("priority", 5);
    newer.put("eventId", "new-1");
    newer.put("eventTime", 1_700_000_000_000L);
    newer.put("source", "next");
    newer.put("image", ByteBuffer.wrap(new byte[] {3}));
    newer.put("contentType", "image/jpeg");
    newer.put("caption", "a bag");
    newer.put("attributes", Map.of());
    byte[] bytes = encode(NEWER_IMAGE_EVENT, newer);

    SchemaCatalog catalog = new SchemaCatalog();
    catalog.add(NEWER_IMAGE_EVENT);
    ImageEvent read = SingleObjectCodec.of(ImageEvent.class, catalog).decode(bytes).value();

    assertEquals("new-1", read.getEventId());
    assertEquals("a bag", read.getCaption());
  }

  @Test
  void anUnregisteredOlderSchemaIsNamedNotGuessed() {
    GenericRecord old = new GenericData.Record(OLDER_IMAGE_EVENT);
    old.put("eventId", "old-2");
    old.put("eventTime", 0L);
    old.put("source", "legacy");
    old.put("image", ByteBuffer.wrap(new byte[0]));
    old.put("contentType", "image/png");

    DecodeResult<ImageEvent> result =
        SingleObjectCodec.of(ImageEvent.class).decode(encode(OLDER_IMAGE_EVENT, old));

    assertEquals(
        WireError.Kind.UNKNOWN_FINGERPRINT,
        ((DecodeResult.Failed<ImageEvent>) result).error().kind());
  }

  private static byte[] encode(Schema schema, GenericRecord record) {
    try {
      ByteBuffer buffer =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Schema withoutFields(String... names) {
    Schema current = ImageEvent.getClassSchema();
    java.util.List<Schema.Field> kept = new java.util.ArrayList<>();
    for (Schema.Field f : current.getFields()) {
      if (!java.util.Arrays.asList(names).contains(f.name())) {
        kept.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(
        current.getName(), current.getDoc(), current.getNamespace(), false, kept);
  }
}
