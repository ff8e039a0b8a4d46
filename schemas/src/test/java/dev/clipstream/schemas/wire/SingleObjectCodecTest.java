package dev.clipstream.schemas.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.ModelUpdate;
import dev.clipstream.schemas.TagResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SingleObjectCodecTest {

  static final Instant T0 = Instant.parse("2026-11-22T10:15:30.123Z");

  static ImageEvent imageEvent() {
    return ImageEvent.newBuilder()
        .setEventId("evt-1")
        .setEventTime(T0)
        .setSource("uploads")
        .setImage(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
        .setContentType("image/png")
        .setCaption("a photo of a sneaker")
        .setAttributes(Map.of("user", "42"))
        .build();
  }

  static TagResult tagResult() {
    return TagResult.newBuilder()
        .setEventId("evt-1")
        .setEventTime(T0)
        .setProcessingTime(T0.plusMillis(40))
        .setModelVersion("default-1")
        .setImageEmbedding(List.of(0.6f, 0.8f))
        .setCaptionEmbedding(List.of(1f, 0f))
        .setCaptionSimilarity(0.6f)
        .setLabels(List.of(new LabelScore("Sneaker", 0.9f), new LabelScore("Sandal", 0.05f)))
        .setLabelSet("fashion")
        .setLabelSetVersion(3L)
        .build();
  }

  static ModelUpdate modelUpdate() {
    return ModelUpdate.newBuilder()
        .setModelVersion("step-200")
        .setTrainingStep(200L)
        .setCheckpointUri("file:///checkpoints/step-200.safetensors")
        .setWeightsSha256("ab".repeat(32))
        .setMetrics(Map.of("guard_accuracy", 0.91))
        .setCreatedTime(T0)
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic("images")
        .setSourcePartition(2)
        .setSourceOffset(1234L)
        .setEventId(null)
        .setStage(FailureStage.DESERIALIZE)
        .setReason("WRONG_MARKER")
        .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setFailedTime(T0)
        .build();
  }

  @Test
  void roundTripsEveryEventType() {
    assertRoundTrip(ImageEvent.class, imageEvent());
    assertRoundTrip(TagResult.class, tagResult());
    assertRoundTrip(ModelUpdate.class, modelUpdate());
    assertRoundTrip(DeadLetter.class, deadLetter());
  }

  private static <T extends SpecificRecord> void assertRoundTrip(Class<T> type, T record) {
    SingleObjectCodec<T> codec = SingleObjectCodec.of(type);
    byte[] bytes = codec.encode(record);
    DecodeResult<T> result = codec.decode(bytes);
    assertTrue(result.isDecoded(), () -> type.getSimpleName() + ": " + result);
    assertEquals(record, result.value());
  }

  @Test
  void writesTheSameBytesAsAvrosOwnSingleObjectEncoder() throws Exception {
    ImageEvent event = imageEvent();
    byte[] ours = SingleObjectCodec.of(ImageEvent.class).encode(event);
    ByteBuffer avros = ImageEvent.getEncoder().encode(event);
    byte[] expected = new byte[avros.remaining()];
    avros.get(expected);
    assertArrayEquals(expected, ours);
    assertEquals(
        event,
        new BinaryMessageDecoder<ImageEvent>(SpecificData.get(), ImageEvent.getClassSchema())
            .decode(ours));
  }

  @Test
  void keepsTheEventTimeToTheMillisecond() {
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    assertEquals(T0, codec.decode(codec.encode(imageEvent())).value().getEventTime());
  }

  @Test
  void namesAPayloadThatIsTooShort() {
    assertFailure(new byte[] {(byte) 0xC3, 0x01, 5}, WireError.Kind.TOO_SHORT);
    assertFailure(new byte[0], WireError.Kind.TOO_SHORT);
    assertFailure(null, WireError.Kind.TOO_SHORT);
  }

  @Test
  void namesAWrongMarker() {
    byte[] bytes = SingleObjectCodec.of(ImageEvent.class).encode(imageEvent());
    bytes[1] = 0x02;
    WireError error = assertFailure(bytes, WireError.Kind.WRONG_MARKER);
    assertTrue(error.message().contains("C3 02"), error.message());
  }

  @Test
  void namesAnUnknownFingerprint() {
    byte[] bytes = SingleObjectCodec.of(ImageEvent.class).encode(imageEvent());
    bytes[5] ^= 0x5A;
    WireError error = assertFailure(bytes, WireError.Kind.UNKNOWN_FINGERPRINT);
    assertTrue(error.message().contains("fingerprint"), error.message());
  }

  @Test
  void refusesAnotherEventTypesPayloadAsAnUnknownFingerprint() {
    byte[] tag = SingleObjectCodec.of(TagResult.class).encode(tagResult());
    assertEquals(
        WireError.Kind.UNKNOWN_FINGERPRINT,
        ((DecodeResult.Failed<ImageEvent>) SingleObjectCodec.of(ImageEvent.class).decode(tag))
            .error()
            .kind());
  }

  @Test
  void namesATruncatedBodyAtEveryCut() {
    byte[] bytes = SingleObjectCodec.of(ImageEvent.class).encode(imageEvent());
    for (int cut = SingleObjectCodec.HEADER_LENGTH; cut < bytes.length; cut++) {
      DecodeResult<ImageEvent> result =
          SingleObjectCodec.of(ImageEvent.class).decode(Arrays.copyOf(bytes, cut));
      assertFalse(result.isDecoded(), "cut at " + cut);
      WireError.Kind kind = ((DecodeResult.Failed<ImageEvent>) result).error().kind();
      assertTrue(
          kind == WireError.Kind.TRUNCATED_BODY || kind == WireError.Kind.MALFORMED_BODY,
          "cut at " + cut + " gave " + kind);
    }
    assertFailure(Arrays.copyOf(bytes, bytes.length - 1), WireError.Kind.TRUNCATED_BODY);
  }

  @Test
  void namesTrailingBytes() {
    byte[] bytes = SingleObjectCodec.of(ImageEvent.class).encode(imageEvent());
    assertFailure(Arrays.copyOf(bytes, bytes.length + 3), WireError.Kind.TRAILING_BYTES);
  }

  @Test
  void failsFastOnALengthThatClaimsGigabytes() {
    byte[] header = Arrays.copyOf(SingleObjectCodec.of(ImageEvent.class).encode(imageEvent()), 10);
    // eventId's length as a zig-zag varint of 2^30: Avro would try to allocate a gigabyte.
    byte[] bytes = Arrays.copyOf(header, 15);
    bytes[10] = (byte) 0x80;
    bytes[11] = (byte) 0x80;
    bytes[12] = (byte) 0x80;
    bytes[13] = (byte) 0x80;
    bytes[14] = (byte) 0x08;
    assertFailure(bytes, WireError.Kind.MALFORMED_BODY);
  }

  @Test
  void refusesAStringFieldThatIsNotUtf8InsteadOfReplacingIt() {
    ImageEvent event = imageEvent();
    event.setCaption("caf\u00e9 au lait");
    byte[] bytes = SingleObjectCodec.of(ImageEvent.class).encode(event);
    int at = indexOf(bytes, "caf\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bytes[at + 4] = 0x28; // C3 28: a lead byte without its continuation byte

    WireError error = assertFailure(bytes, WireError.Kind.INVALID_UTF8);
    assertTrue(error.message().contains("not valid UTF-8"), error.message());
  }

  @Test
  void readsEveryScriptEmojiAndControlCharacterUnchanged() {
    ImageEvent event = imageEvent();
    String text =
        "\u65e5\u672c\u8a9e \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u0939\u093f\u0928\u094d\u0926\u0940"
            + " \ud83d\udc5f\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 tab\tbell\u0007nul\u0000 \ufffd";
    event.setCaption(text);
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    assertEquals(text, codec.decode(codec.encode(event)).value().getCaption());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void neverThrowsOnRandomBytesBehindAValidHeader() {
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    byte[] header = Arrays.copyOf(codec.encode(imageEvent()), 10);
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] bytes = Arrays.copyOf(header, 10 + random.nextInt(200));
      for (int j = 10; j < bytes.length; j++) {
        bytes[j] = (byte) random.nextInt();
      }
      codec.decode(bytes); // must return, whatever it says
    }
  }

  private static WireError assertFailure(byte[] bytes, WireError.Kind kind) {
    DecodeResult<ImageEvent> result = SingleObjectCodec.of(ImageEvent.class).decode(bytes);
    assertTrue(
        result instanceof DecodeResult.Failed<ImageEvent>, "expected " + kind + ", got " + result);
    WireError error = ((DecodeResult.Failed<ImageEvent>) result).error();
    assertEquals(kind, error.kind(), error.message());
    return error;
  }
}
