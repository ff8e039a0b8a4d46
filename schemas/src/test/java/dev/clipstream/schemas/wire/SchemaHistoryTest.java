package dev.clipstream.schemas.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.LabelSetDefinition;
import dev.clipstream.schemas.ModelUpdate;
import dev.clipstream.schemas.TagResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Control messages and dead letters written before signatures and payload caps existed (the schemas
 * in the history folder) still decode with today's codec: the new fields take their defaults (no
 * signature, an uncut payload).
 */
class SchemaHistoryTest {

  @Test
  void aModelUpdateWrittenBeforeSignaturesDecodesUnsigned() throws IOException {
    Schema v1 = historical("ModelUpdate-1.avsc");
    GenericRecord old = new GenericData.Record(v1);
    old.put("modelVersion", "step-1");
    old.put("trainingStep", 1L);
    old.put("checkpointUri", "step-1.safetensors");
    old.put("weightsSha256", "00".repeat(32));
    old.put("metrics", Map.of());
    old.put("createdTime", 1_700_000_000_000L);

    ModelUpdate read = SingleObjectCodec.of(ModelUpdate.class).decode(encode(v1, old)).value();

    assertEquals("step-1", read.getModelVersion());
    assertNull(read.getSignature());
  }

  @Test
  void aTagResultWrittenBeforeUnknownAndDuplicatesDecodesAsNeither() throws IOException {
    Schema v1 = historical("TagResult-1.avsc");
    GenericRecord old = new GenericData.Record(v1);
    old.put("eventId", "e-1");
    old.put("eventTime", 1_700_000_000_000L);
    old.put("processingTime", 1_700_000_000_001L);
    old.put("modelVersion", "m");
    old.put("imageEmbedding", List.of(1f, 0f));
    old.put("labels", List.of());
    old.put("labelSet", "fashion");
    old.put("labelSetVersion", 1L);

    TagResult read = SingleObjectCodec.of(TagResult.class).decode(encode(v1, old)).value();

    assertEquals("e-1", read.getEventId());
    assertEquals(false, read.getUnknown());
    assertNull(read.getDuplicateOf());
  }

  @Test
  void aTagResultWrittenBeforeCaptionsAndThumbnailsDecodesWithNeither() throws IOException {
    Schema v2 = historical("TagResult-2.avsc");
    GenericRecord old = new GenericData.Record(v2);
    old.put("eventId", "e-2");
    old.put("eventTime", 1_700_000_000_000L);
    old.put("processingTime", 1_700_000_000_001L);
    old.put("modelVersion", "m");
    old.put("imageEmbedding", List.of(1f, 0f));
    old.put("labels", List.of());
    old.put("labelSet", "fashion");
    old.put("labelSetVersion", 1L);
    old.put("unknown", true);

    TagResult read = SingleObjectCodec.of(TagResult.class).decode(encode(v2, old)).value();

    assertEquals("e-2", read.getEventId());
    assertEquals(true, read.getUnknown());
    assertNull(read.getCaption());
    assertNull(read.getThumbnail());
  }

  @Test
  void aLabelSetWrittenBeforeSignaturesDecodesUnsigned() throws IOException {
    Schema v1 = historical("LabelSetDefinition-1.avsc");
    GenericRecord old = new GenericData.Record(v1);
    old.put("name", "fashion");
    old.put("version", 3L);
    old.put("labels", List.of());
    old.put("templates", List.of());
    old.put("createdTime", 1_700_000_000_000L);

    LabelSetDefinition read =
        SingleObjectCodec.of(LabelSetDefinition.class).decode(encode(v1, old)).value();

    assertEquals(3L, read.getVersion());
    assertNull(read.getSignature());
  }

  @Test
  void aDeadLetterWrittenBeforePayloadCapsDecodesUncut() throws IOException {
    Schema v1 = historical("DeadLetter-1.avsc");
    GenericRecord old = new GenericData.Record(v1);
    old.put("sourceTopic", "images");
    old.put("sourcePartition", 0);
    old.put("sourceOffset", 7L);
    old.put("eventId", null);
    old.put("stage", new GenericData.EnumSymbol(v1.getField("stage").schema(), "DESERIALIZE"));
    old.put("reason", "bad");
    old.put("payload", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    old.put("failedTime", 1_700_000_000_000L);

    DeadLetter read = SingleObjectCodec.of(DeadLetter.class).decode(encode(v1, old)).value();

    assertEquals(3, read.getPayload().remaining());
    assertNull(read.getOriginalPayloadBytes());
  }

  @Test
  void anImageEventWrittenBeforeLabelsDecodesUnlabelled() throws IOException {
    Schema v1 = historical("ImageEvent-1.avsc");
    GenericRecord old = new GenericData.Record(v1);
    old.put("eventId", "e-1");
    old.put("eventTime", 1_700_000_000_000L);
    old.put("source", "camera");
    old.put("image", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    old.put("contentType", "image/png");
    old.put("caption", null);
    old.put("attributes", Map.of());

    ImageEvent read = SingleObjectCodec.of(ImageEvent.class).decode(encode(v1, old)).value();

    assertEquals("e-1", read.getEventId());
    assertNull(read.getLabel());
  }

  private static Schema historical(String name) throws IOException {
    try (InputStream in =
        SchemaHistoryTest.class.getResourceAsStream("/dev/clipstream/schemas/history/" + name)) {
      return new Schema.Parser().parse(in);
    }
  }

  private static byte[] encode(Schema schema, GenericRecord record) throws IOException {
    ByteBuffer buffer =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
