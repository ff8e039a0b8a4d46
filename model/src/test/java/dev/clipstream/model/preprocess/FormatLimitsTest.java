package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The decoder's limits hold for WebP and TIFF as for the older formats. */
class FormatLimitsTest {

  final ImageDecoder decoder = new ImageDecoder(40_000_000, 1 << 20);

  @Test
  void refusesAWebpDecompressionBombFromItsHeader() {
    DecodeOutcome.Rejected r =
        assertInstanceOf(DecodeOutcome.Rejected.class, decoder.decode(webpCanvas(16384, 16384)));

    assertEquals(DecodeOutcome.Reason.TOO_MANY_PIXELS, r.reason(), r.message());
    assertTrue(r.message().contains("16384x16384"), r.message());
  }

  @Test
  void refusesATiffDecompressionBombFromItsHeader() {
    DecodeOutcome.Rejected r =
        assertInstanceOf(
            DecodeOutcome.Rejected.class, decoder.decode(tiffHeader(100_000, 100_000)));

    assertEquals(DecodeOutcome.Reason.TOO_MANY_PIXELS, r.reason(), r.message());
  }

  @ParameterizedTest
  @ValueSource(strings = {"formats/astronaut-lossy.webp", "formats/coffee-lossless.webp"})
  void aCutShortWebpIsCorrupt(String path) throws IOException {
    byte[] whole = PillowDecodeTest.resource(path);
    DecodeOutcome outcome = decoder.decode(Arrays.copyOf(whole, whole.length / 2));

    DecodeOutcome.Rejected r = assertInstanceOf(DecodeOutcome.Rejected.class, outcome);
    assertEquals(DecodeOutcome.Reason.CORRUPT, r.reason(), r.message());
  }

  @Test
  void namesTheFormatsItReadsWhenRefusingOthers() {
    byte[] svg = "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes();
    DecodeOutcome.Rejected r = assertInstanceOf(DecodeOutcome.Rejected.class, decoder.decode(svg));

    assertEquals(DecodeOutcome.Reason.UNSUPPORTED_FORMAT, r.reason());
    assertEquals("not a PNG, JPEG, GIF, BMP, TIFF or WebP image", r.message());
  }

  /** An extended-format WebP header (VP8X) declaring a canvas of width × height, and no data. */
  static byte[] webpCanvas(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(22).put("WEBP".getBytes()).put("VP8X".getBytes()).putInt(10);
    b.putInt(0); // flags and reserved bits
    putUint24(b, width - 1);
    putUint24(b, height - 1);
    return b.array();
  }

  private static void putUint24(ByteBuffer b, int v) {
    b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
  }

  /** A little-endian grey TIFF whose one IFD declares width × height pixels in one strip. */
  static byte[] tiffHeader(int width, int height) {
    short[][] entries = {
      {256, 4}, {257, 4}, {258, 3}, {259, 3}, {262, 3}, {273, 4}, {277, 3}, {278, 4}, {279, 4}
    };
    long[] values = {width, height, 8, 1, 1, 8 + 2 + 9 * 12 + 4, 1, height, (long) width * height};
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + entries.length * 12 + 4 + 16);
    b.order(ByteOrder.LITTLE_ENDIAN).put((byte) 'I').put((byte) 'I').putShort((short) 42);
    b.putInt(8).putShort((short) entries.length);
    for (int i = 0; i < entries.length; i++) {
      b.putShort(entries[i][0]).putShort(entries[i][1]).putInt(1);
      if (entries[i][1] == 3) {
        b.putShort((short) values[i]).putShort((short) 0);
      } else {
        b.putInt((int) values[i]);
      }
    }
    b.putInt(0); // no next IFD
    return b.array();
  }
}
