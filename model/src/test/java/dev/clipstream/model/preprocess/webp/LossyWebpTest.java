package dev.clipstream.model.preprocess.webp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.preprocess.DecodeOutcome;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.ImageDecoder;
import dev.clipstream.model.weights.SafeTensorsFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lossy WebP files that reach each part of the VP8 decoder (see the README next to them) decode to
 * the bytes Pillow and libwebp give; broken ones are refused with a reason, never thrown.
 */
class LossyWebpTest {

  final ImageDecoder decoder = new ImageDecoder(1 << 20, 1 << 20);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "odd-size-q75.webp",
        "simple-filter-sharpness3.webp",
        "no-filter-one-segment.webp",
        "q100-strong.webp",
        "q2.webp",
        "alpha.webp",
        "four-partitions.webp"
      })
  void decodesEachVariantToTheBytesPillowGives(String name) throws IOException {
    DecodedImage image =
        assertInstanceOf(DecodeOutcome.Decoded.class, decoder.decode(resource(name))).image();

    assertArrayEquals(pillowRgb(name), image.toRgb().pixels(), name);
  }

  @Test
  void keepsTheAlphaOfAnAlphaChunkAsPillowDecodesIt() throws IOException {
    DecodedImage image =
        assertInstanceOf(DecodeOutcome.Decoded.class, decoder.decode(resource("alpha.webp")))
            .image();

    assertEquals(4, image.channels()); // Pillow opens it as RGBA, and resizes it premultiplied
    assertArrayEquals(pillowRgb("alpha.webp RGBA"), image.pixels());
  }

  /**
   * Cut anywhere, with the RIFF sizes made to agree so only the VP8 decoder can notice, each of
   * these is refused exactly where Pillow 9.4.0 (libwebp 1.2.4) refuses it: everywhere but two
   * bytes short, which leaves out only the encoder's final padding (one byte short leaves an odd
   * chunk without its pad byte, which libwebp's demuxer refuses).
   */
  @ParameterizedTest
  @ValueSource(strings = {"q2.webp", "four-partitions.webp", "alpha.webp"})
  void aFileCutShortIsRefusedAsCorruptWherePillowRefusesIt(String name) throws IOException {
    byte[] whole = resource(name);
    for (int length = 12; length < whole.length; length++) {
      byte[] cut = Arrays.copyOf(whole, length);
      fixSizes(cut);
      DecodeOutcome outcome = decoder.decode(cut);
      if (length == whole.length - 2) {
        assertInstanceOf(DecodeOutcome.Decoded.class, outcome, name + " two bytes short");
        continue;
      }
      DecodeOutcome.Rejected r =
          assertInstanceOf(DecodeOutcome.Rejected.class, outcome, name + " cut to " + length);
      assertEquals(DecodeOutcome.Reason.CORRUPT, r.reason(), r.message());
      assertFalse(r.message().contains("Exception"), r.message());
    }
  }

  @Test
  void damagedBytesGivePixelsOrARejectionButNeverABug() throws IOException {
    for (String name : new String[] {"q2.webp", "four-partitions.webp"}) {
      byte[] whole = resource(name);
      int step = whole.length / 400 + 1; // about 400 places each, headers and partitions alike
      for (int at = 12; at < whole.length; at += step) {
        for (int flip : new int[] {0x01, 0x80, 0xff}) {
          byte[] damaged = whole.clone();
          damaged[at] ^= (byte) flip;
          DecodeOutcome outcome = decoder.decode(damaged);
          if (outcome instanceof DecodeOutcome.Rejected r) {
            assertFalse(r.message().contains("Exception"), name + " at " + at + ": " + r.message());
            assertFalse(r.message().contains("\n"), r.message());
          }
        }
      }
    }
  }

  @Test
  void refusesMorePixelsThanTheLimitFromTheFrameHeader() throws IOException {
    DecodeOutcome.Rejected r =
        assertInstanceOf(
            DecodeOutcome.Rejected.class,
            new ImageDecoder(10_000, 1 << 20).decode(resource("odd-size-q75.webp")));

    assertEquals(DecodeOutcome.Reason.TOO_MANY_PIXELS, r.reason(), r.message());
    assertTrue(r.message().contains("141x93"), r.message());
  }

  @Test
  void anExtendedCanvasThatDisagreesWithItsFrameIsCorrupt() throws IOException {
    byte[] webp = resource("alpha.webp");
    assertEquals("VP8X", new String(webp, 12, 4, java.nio.charset.StandardCharsets.US_ASCII));
    webp[24] = (byte) (webp[24] + 1); // canvas width - 1, low byte

    DecodeOutcome.Rejected r = assertInstanceOf(DecodeOutcome.Rejected.class, decoder.decode(webp));
    assertEquals(DecodeOutcome.Reason.CORRUPT, r.reason(), r.message());
    assertTrue(r.message().contains("does not match"), r.message());
  }

  @Test
  void aChunkRunningPastTheEndIsNamedOnOneLine() throws IOException {
    byte[] webp = resource("alpha.webp");
    assertEquals("ALPH", new String(webp, 30, 4, java.nio.charset.StandardCharsets.US_ASCII));
    webp[32] = '\n';
    putLe32(webp, 34, 0x7fff_ffffL);

    DecodeOutcome.Rejected r = assertInstanceOf(DecodeOutcome.Rejected.class, decoder.decode(webp));
    assertEquals(DecodeOutcome.Reason.CORRUPT, r.reason(), r.message());
    assertTrue(
        r.message().startsWith("the WebP 0x414c0a48 chunk of 2147483647 bytes"), r.message());
  }

  @Test
  void anInterFrameIsCorrupt() throws IOException {
    byte[] webp = resource("q2.webp");
    webp[20] |= 1; // frame tag, first byte: 1 marks an inter frame, which WebP never holds

    DecodeOutcome.Rejected r = assertInstanceOf(DecodeOutcome.Rejected.class, decoder.decode(webp));
    assertEquals(DecodeOutcome.Reason.CORRUPT, r.reason(), r.message());
    assertEquals("the VP8 frame is not a key frame", r.message());
  }

  @Test
  void leavesLosslessWebpToTheOtherReader() throws IOException {
    byte[] lossless = resource("../formats/coffee-lossless.webp");

    assertTrue(LossyWebp.decode(lossless, 1 << 30).isEmpty());
  }

  /** Sets the RIFF size and the size of the last chunk to what the (cut) file holds. */
  private static void fixSizes(byte[] riff) {
    putLe32(riff, 4, riff.length - 8);
    int pos = 12;
    while (pos + 8 <= riff.length) {
      long size = getLe32(riff, pos + 4);
      if (pos + 8 + size >= riff.length) {
        putLe32(riff, pos + 4, riff.length - pos - 8);
        return;
      }
      pos += 8 + (int) size + (int) (size & 1);
    }
  }

  private static long getLe32(byte[] b, int at) {
    return (b[at] & 0xffL)
        | (b[at + 1] & 0xffL) << 8
        | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24;
  }

  private static void putLe32(byte[] b, int at, long v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >> (8 * i));
    }
  }

  static byte[] pillowRgb(String name) throws IOException {
    ByteBuffer raw =
        SafeTensorsFile.read(resource("vp8-variants.safetensors")).raw(name).duplicate();
    byte[] out = new byte[raw.remaining()];
    raw.get(out);
    return out;
  }

  static byte[] resource(String name) throws IOException {
    String path =
        "/dev/clipstream/model/preprocess/"
            + (name.startsWith("../") ? name.substring(3) : "webp/" + name);
    try (InputStream in = LossyWebpTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("no test resource " + path);
      }
      return in.readAllBytes();
    }
  }
}
