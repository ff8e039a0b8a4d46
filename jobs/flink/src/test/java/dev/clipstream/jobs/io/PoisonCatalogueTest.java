package dev.clipstream.jobs.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.testing.PoisonInputs;
import dev.clipstream.model.preprocess.DecodeOutcome;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.ImageDecoder;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Each case of the poison catalogue through the two operators that can refuse an input, {@link
 * DecodeEvent} then {@link DecodeImage}, as the tagging job chains them: a dead letter at the right
 * stage with a one-line reason, or a prepared image.
 */
class PoisonCatalogueTest {

  static final int SIZE = 28;

  /** What came out of the two operators for one Kafka value. */
  record Outcome(PreparedImage image, DeadLetter letter) {}

  @Test
  void randomBytesAreNotAnEvent() throws Exception {
    assertDeadLetter(PoisonInputs.RANDOM_BYTES);
  }

  @Test
  void aTruncatedAvroBodyIsNotAnEvent() throws Exception {
    assertDeadLetter(PoisonInputs.TRUNCATED_AVRO);
  }

  @Test
  void anUnknownSchemaFingerprintIsNamed() throws Exception {
    DeadLetter letter = assertDeadLetter(PoisonInputs.UNKNOWN_FINGERPRINT);
    assertTrue(letter.getReason().contains("is not a known ImageEvent schema"), letter.getReason());
  }

  @Test
  void anEventWhoseImageIsTextIsRefusedAtDecodeImage() throws Exception {
    DeadLetter letter = assertDeadLetter(PoisonInputs.NOT_AN_IMAGE);
    assertEquals(PoisonInputs.get(PoisonInputs.NOT_AN_IMAGE).eventId(), letter.getEventId());
  }

  @Test
  void aTruncatedJpegIsCorruptNotAGreyPicture() throws Exception {
    assertDeadLetter(PoisonInputs.TRUNCATED_JPEG);
  }

  @Test
  void rejectsDecompressionBombFromItsHeaderWithoutAllocatingPixels() throws Exception {
    DeadLetter letter = assertDeadLetter(PoisonInputs.HUGE_PNG);
    assertTrue(letter.getReason().contains("100000x100000"), letter.getReason());

    byte[] png = PoisonInputs.pngDeclaring(100_000, 100_000);
    ImageDecoder decoder = new ImageDecoder(PreprocessOptions.DEFAULT_MAX_PIXELS, 1 << 24);
    decoder.decode(png); // warm ImageIO's registry and classes
    long before = allocatedBytes();
    DecodeOutcome outcome = decoder.decode(png);
    long allocated = allocatedBytes() - before;
    assertTrue(outcome instanceof DecodeOutcome.Rejected, outcome.toString());
    // 10^10 RGB pixels would be 30 GB; refusing from the header costs a few kilobytes.
    assertTrue(allocated < 4 << 20, allocated + " bytes allocated to refuse the header");
  }

  @Test
  void aCmykJpegIsTaggedWithPillowsColours() throws Exception {
    assertResult(PoisonInputs.CMYK_JPEG);
    DecodedImage rgb = decoded(PoisonInputs.cmykJpeg()).toRgb();
    int[] s = PoisonInputs.CMYK_SAMPLES;
    for (int c = 0; c < 3; c++) {
      // Pillow: stored samples are inverted ink; channel = nk - ink * nk / 255 with nk = stored K.
      int expected = Math.round(s[3] - (255 - s[c]) * s[3] / 255f);
      assertEquals(expected, rgb.at(5, 5, c), 1, "channel " + c);
    }
  }

  @Test
  void a16BitPngIsScaledTo8Bits() throws Exception {
    assertResult(PoisonInputs.PNG_16_BIT);
    DecodedImage rgb = decoded(PoisonInputs.png16());
    for (int c = 0; c < 3; c++) {
      assertEquals(
          Math.round(PoisonInputs.RGB16[c] / 65535f * 255), rgb.at(3, 3, c), "channel " + c);
    }
  }

  @Test
  void aPalettePngWithAlphaKeepsItsColoursAndAlpha() throws Exception {
    assertResult(PoisonInputs.PALETTE_ALPHA_PNG);
    DecodedImage rgba = decoded(PoisonInputs.paletteAlphaPng());
    assertEquals(4, rgba.channels());
    for (int x = 0; x < 3; x++) {
      int argb = PoisonInputs.PALETTE_ARGB[x];
      assertEquals(argb >>> 16 & 0xff, rgba.at(x, 0, 0));
      assertEquals(argb >>> 8 & 0xff, rgba.at(x, 0, 1));
      assertEquals(argb & 0xff, rgba.at(x, 0, 2));
      assertEquals(argb >>> 24, rgba.at(x, 0, 3));
    }
  }

  @Test
  void aOnePixelImageIsTagged() throws Exception {
    PreparedImage image = assertResult(PoisonInputs.ONE_PIXEL);
    assertEquals(3 * SIZE * SIZE, image.rgb.length);
  }

  @Test
  void anImageOverTheByteLimitIsRefusedWithTheLimit() throws Exception {
    DeadLetter letter = assertDeadLetter(PoisonInputs.OVERSIZED_IMAGE);
    assertTrue(
        letter.getReason().contains("over the limit of " + PreprocessOptions.DEFAULT_MAX_BYTES),
        letter.getReason());
  }

  @Test
  void anEmptyCaptionIsNoCaption() throws Exception {
    assertNull(assertResult(PoisonInputs.EMPTY_CAPTION).caption);
  }

  @Test
  void aMegabyteCaptionIsRefusedAtValidateNamingTheLimit() throws Exception {
    DeadLetter letter = assertDeadLetter(PoisonInputs.MEGABYTE_CAPTION);
    assertEquals(PoisonInputs.get(PoisonInputs.MEGABYTE_CAPTION).eventId(), letter.getEventId());
    assertTrue(letter.getReason().startsWith("the caption has 1048576 characters"));
  }

  @Test
  void aCaptionInManyScriptsWithEmojiAndControlCharactersPassesUnchanged() throws Exception {
    assertEquals(
        PoisonInputs.MANY_SCRIPTS, assertResult(PoisonInputs.MANY_SCRIPTS_CAPTION).caption);
  }

  @Test
  void invalidUtf8InAStringFieldIsRefusedAtDeserialize() throws Exception {
    DeadLetter letter = assertDeadLetter(PoisonInputs.INVALID_UTF8);
    assertTrue(letter.getReason().contains("not valid UTF-8"), letter.getReason());
  }

  @Test
  void aCaptionAtTheLimitPassesAndOneOverIsRefused() throws Exception {
    byte[] png = PoisonInputs.png(PoisonInputs.picture(8, 8));
    int limit = EventLimits.DEFAULT_MAX_CAPTION_CHARS;
    assertNotNull(run(PoisonInputs.event("at", png, "x".repeat(limit))).image());
    DeadLetter over = run(PoisonInputs.event("over", png, "x".repeat(limit + 1))).letter();
    assertEquals(FailureStage.VALIDATE, over.getStage());
  }

  @Test
  void everyCaseGivesExactlyOneOutput() throws Exception {
    for (PoisonInputs.Case poison : PoisonInputs.all()) {
      Outcome outcome = run(poison.value());
      assertTrue((outcome.image() == null) != (outcome.letter() == null), poison + ": one output");
      assertEquals(poison.expected().isResult(), outcome.image() != null, poison.name());
    }
  }

  private static DeadLetter assertDeadLetter(String name) throws Exception {
    PoisonInputs.Case poison = PoisonInputs.get(name);
    Outcome outcome = run(poison.value());
    assertNull(outcome.image(), name + " must not come through");
    DeadLetter letter = outcome.letter();
    assertNotNull(letter, name + " must be a dead letter");
    assertEquals(poison.expected().stage(), letter.getStage(), letter.getReason());
    assertTrue(
        letter.getReason().contains(poison.expected().reasonContains()),
        name + ": " + letter.getReason());
    assertFalse(letter.getReason().contains("\n"), "one line: " + letter.getReason());
    assertTrue(letter.getReason().length() < 300, "short: " + letter.getReason());
    assertArrayEquals(poison.value(), bytes(letter.getPayload()), "the original bytes");
    return letter;
  }

  private static PreparedImage assertResult(String name) throws Exception {
    PoisonInputs.Case poison = PoisonInputs.get(name);
    Outcome outcome = run(poison.value());
    assertNull(outcome.letter(), () -> name + ": " + outcome.letter().getReason());
    PreparedImage image = outcome.image();
    assertEquals(poison.eventId(), image.eventId);
    assertEquals(SIZE, image.size);
    for (float v : image.normalised()) {
      assertTrue(Float.isFinite(v));
    }
    return image;
  }

  /** Runs one Kafka value through DecodeEvent then DecodeImage. */
  static Outcome run(byte[] value) throws Exception {
    List<DeadLetter> letters = new ArrayList<>();
    List<SourcedEvent> events;
    try (OneInputStreamOperatorTestHarness<KafkaRecord, SourcedEvent> decodeEvent =
        ProcessFunctionTestHarnesses.forProcessFunction(new DecodeEvent())) {
      decodeEvent.processElement(new KafkaRecord("images", 0, 7, 0, value), 0);
      events = decodeEvent.extractOutputValues();
      letters.addAll(sideOutput(decodeEvent));
    }
    List<PreparedImage> images = new ArrayList<>();
    try (OneInputStreamOperatorTestHarness<SourcedEvent, PreparedImage> decodeImage =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new DecodeImage(PreprocessOptions.defaults(SIZE)))) {
      for (SourcedEvent event : events) {
        decodeImage.processElement(event, 0);
      }
      images.addAll(decodeImage.extractOutputValues());
      letters.addAll(sideOutput(decodeImage));
    }
    assertTrue(images.size() + letters.size() == 1, "one output per input");
    return new Outcome(
        images.isEmpty() ? null : images.get(0), letters.isEmpty() ? null : letters.get(0));
  }

  private static List<DeadLetter> sideOutput(OneInputStreamOperatorTestHarness<?, ?> harness) {
    List<DeadLetter> out = new ArrayList<>();
    var queue = harness.getSideOutput(DeadLetters.TAG);
    if (queue != null) {
      for (StreamRecord<DeadLetter> r : queue) {
        out.add(r.getValue());
      }
    }
    return out;
  }

  private static DecodedImage decoded(byte[] image) {
    ImageDecoder decoder =
        new ImageDecoder(PreprocessOptions.DEFAULT_MAX_PIXELS, PreprocessOptions.DEFAULT_MAX_BYTES);
    DecodeOutcome outcome = decoder.decode(image);
    assertTrue(outcome instanceof DecodeOutcome.Decoded, outcome.toString());
    return ((DecodeOutcome.Decoded) outcome).image();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
