package dev.clipstream.schemas.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.DecodeResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import dev.clipstream.schemas.wire.WireError;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The three output formats: each round-trips a record, the JSON has the documented plain mapping,
 * the Confluent framing is read back by Avro's generic reader alone, and the any-format reader
 * tells them apart by their first byte.
 */
class OutputFormatsTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:15:30.123Z");
  static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};

  static TagResult tagResult() {
    return TagResult.newBuilder()
        .setEventId("evt-1")
        .setEventTime(T0)
        .setProcessingTime(T0.plusMillis(40))
        .setModelVersion("default-1")
        .setImageEmbedding(List.of(0.6f, -0.8f))
        .setCaptionEmbedding(null)
        .setCaptionSimilarity(null)
        .setLabels(List.of(new LabelScore("Sneaker", 0.75f), new LabelScore("Sandal", 0.25f)))
        .setLabelSet("fashion-mnist")
        .setLabelSetVersion(3L)
        .setCaption("a photo of a sneaker")
        .setThumbnail(ByteBuffer.wrap(JPEG))
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic("images")
        .setSourcePartition(2)
        .setSourceOffset(41L)
        .setEventId(null)
        .setStage(FailureStage.DESERIALIZE)
        .setReason("TOO_SHORT: 3 bytes")
        .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setFailedTime(T0)
        .build();
  }

  @Test
  void jsonIsOnePlainObjectWithEveryFieldUnderItsSchemaName() throws Exception {
    byte[] json = JsonCodec.of(TagResult.class).encode(tagResult());
    JsonNode node = new ObjectMapper().readTree(json);

    assertEquals("evt-1", node.get("eventId").textValue());
    assertEquals(T0.toEpochMilli(), node.get("eventTime").longValue());
    assertTrue(node.get("captionSimilarity").isNull(), "a null union is a plain null");
    assertEquals(0.75f, node.get("labels").get(0).get("score").floatValue());
    assertEquals("Sneaker", node.get("labels").get(0).get("label").textValue());
    assertEquals(-0.8f, node.get("imageEmbedding").get(1).floatValue());
    assertEquals("a photo of a sneaker", node.get("caption").textValue());
    assertArrayEquals(JPEG, Base64.getDecoder().decode(node.get("thumbnail").textValue()));
    List<String> names =
        TagResult.getClassSchema().getFields().stream().map(f -> f.name()).toList();
    List<String> written = iterable(node.fieldNames());
    assertEquals(names, written);
  }

  @Test
  void jsonRoundTripsBothRecordTypes() {
    assertEquals(tagResult(), roundTrip(JsonCodec.of(TagResult.class), tagResult()));
    DeadLetter letter = deadLetter();
    byte[] json = JsonCodec.of(DeadLetter.class).encode(letter);
    assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"stage\":\"DESERIALIZE\""));
    assertEquals(letter, JsonCodec.of(DeadLetter.class).decode(json).value());
  }

  @Test
  void jsonThatDoesNotFitTheSchemaIsAMalformedJsonError() {
    JsonCodec<TagResult> codec = JsonCodec.of(TagResult.class);
    WireError notJson = error(codec.decode("{\"eventId\": ".getBytes(StandardCharsets.UTF_8)));
    assertEquals(WireError.Kind.MALFORMED_JSON, notJson.kind());
    WireError wrongType =
        error(
            codec.decode(
                String.valueOf(JsonCodec.of(TagResult.class).encode(tagResult()).length)
                    .getBytes(StandardCharsets.UTF_8)));
    assertEquals(WireError.Kind.MALFORMED_JSON, wrongType.kind());
    String missing = "{\"eventId\":\"e\"}";
    WireError noTime = error(codec.decode(missing.getBytes(StandardCharsets.UTF_8)));
    assertTrue(noTime.message().contains("$.eventTime is missing"), noTime.message());
  }

  @Test
  void jsonWithoutTheOptionalFieldsTakesTheirDefaults() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode node =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            mapper.readTree(JsonCodec.of(TagResult.class).encode(tagResult()));
    node.remove(List.of("caption", "thumbnail", "unknown", "duplicateOf"));
    TagResult read = JsonCodec.of(TagResult.class).decode(mapper.writeValueAsBytes(node)).value();
    assertNull(read.getCaption());
    assertNull(read.getThumbnail());
    assertFalse(read.getUnknown());
  }

  @Test
  void confluentFramingIsMagicByteSchemaIdThenAvroBinaryThatAGenericReaderReads() throws Exception {
    byte[] framed = ConfluentAvroCodec.of(TagResult.class).encode(tagResult(), 0x01020304);

    assertEquals(0, framed[0]);
    assertArrayEquals(new byte[] {1, 2, 3, 4}, Arrays.copyOfRange(framed, 1, 5));
    // Avro's own generic reader, given only the schema, reads the body after the five bytes.
    GenericRecord read =
        new GenericDatumReader<GenericRecord>(TagResult.getClassSchema())
            .read(
                null,
                DecoderFactory.get()
                    .binaryDecoder(new ByteArrayInputStream(framed, 5, framed.length - 5), null));
    assertEquals("evt-1", read.get("eventId").toString());
    assertEquals(T0.toEpochMilli(), read.get("eventTime"));
    assertEquals("a photo of a sneaker", read.get("caption").toString());
  }

  @Test
  void confluentDecodingNeedsTheIdsSchema() {
    ConfluentAvroCodec<TagResult> codec = ConfluentAvroCodec.of(TagResult.class);
    byte[] framed = codec.encode(tagResult(), 7);
    assertEquals(
        tagResult(),
        codec
            .decode(framed, id -> id == 7 ? Optional.of(codec.schema()) : Optional.empty())
            .value());
    assertEquals(
        WireError.Kind.UNKNOWN_SCHEMA_ID,
        error(codec.decode(framed, id -> Optional.empty())).kind());
    assertEquals(
        WireError.Kind.TOO_SHORT,
        error(codec.decode(new byte[] {0, 0}, id -> Optional.empty())).kind());
  }

  @Test
  void theAnyFormatReaderTellsTheFormatsApartByTheirFirstByte() {
    TagResult result = tagResult();
    AnyFormatDecoder<TagResult> reader = AnyFormatDecoder.of(TagResult.class);
    assertEquals(
        result, reader.decode(SingleObjectCodec.of(TagResult.class).encode(result)).value());
    byte[] json = JsonCodec.of(TagResult.class).encode(result);
    byte[] padded = new byte[json.length + 2];
    padded[0] = ' ';
    padded[1] = '\n';
    System.arraycopy(json, 0, padded, 2, json.length);
    assertEquals(result, reader.decode(padded).value());
    WireError noRegistry =
        error(reader.decode(ConfluentAvroCodec.of(TagResult.class).encode(result, 1)));
    assertEquals(WireError.Kind.UNKNOWN_SCHEMA_ID, noRegistry.kind());
    assertTrue(noRegistry.message().contains("output.schema-registry.url"), noRegistry.message());
    WireError garbage = error(reader.decode(new byte[] {'x', 1, 2}));
    assertEquals(WireError.Kind.WRONG_MARKER, garbage.kind());
    assertEquals(WireError.Kind.WRONG_MARKER, error(reader.decode(new byte[0])).kind());
  }

  @Test
  void formatNamesAndRegistrySettingsAreCheckedInOneLine() {
    assertEquals(WireFormat.CONFLUENT_AVRO, WireFormat.parse(" confluent-avro "));
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> WireFormat.parse("protobuf"));
    assertEquals(
        "'protobuf' is not an output format: avro-single-object | confluent-avro | json are",
        bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SchemaRegistrySettings.of("ftp://x"));
    assertThrows(IllegalArgumentException.class, () -> SchemaRegistrySettings.of("localhost:8081"));
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SchemaRegistrySettings("http://r:8081", Map.of("auto.register", "x")));
    assertTrue(
        unknown.getMessage().contains("[auto.register] are not known"), unknown.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new SchemaRegistrySettings("http://r:8081", Map.of("request.timeout.ms", "-1")));
    SchemaRegistrySettings secret =
        new SchemaRegistrySettings("http://r:8081/", Map.of("basic.auth.user.info", "u:secret"));
    assertEquals("http://r:8081", secret.url());
    assertFalse(secret.toString().contains("secret"), secret.toString());
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(
      JsonCodec<T> codec, T record) {
    return codec.decode(codec.encode(record)).value();
  }

  private static WireError error(DecodeResult<?> result) {
    assertTrue(result instanceof DecodeResult.Failed<?>, "expected a failure, got " + result);
    return ((DecodeResult.Failed<?>) result).error();
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
