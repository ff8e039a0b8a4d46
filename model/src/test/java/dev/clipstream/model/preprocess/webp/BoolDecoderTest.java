package dev.clipstream.model.preprocess.webp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The boolean decoder reads back what RFC 6386's own encoder (section 7.3) writes. */
class BoolDecoderTest {

  @Test
  void readsBackWhatTheRfcEncoderWrote() {
    Random random = new Random(6386);
    int n = 20_000;
    int[] probs = new int[n];
    int[] bits = new int[n];
    RfcBoolEncoder e = new RfcBoolEncoder();
    for (int i = 0; i < n; i++) {
      probs[i] = 1 + random.nextInt(255);
      // Skewed as the probability says, so long runs of the likely value are covered too.
      bits[i] = random.nextInt(256) >= probs[i] ? 1 : 0;
      e.write(probs[i], bits[i]);
    }
    byte[] data = e.flush();

    BoolDecoder d = new BoolDecoder(data, 0, data.length);
    for (int i = 0; i < n; i++) {
      assertEquals(bits[i], d.read(probs[i]), "bool " + i);
    }
    assertFalse(d.exhausted());
  }

  @Test
  void readsLiteralsMostSignificantBitFirstAndSignedValuesMagnitudeFirst() {
    RfcBoolEncoder e = new RfcBoolEncoder();
    for (int bit : new int[] {1, 0, 1, 1, 0, 1, 1}) { // 0b1011011 = 91
      e.write(128, bit);
    }
    for (int bit : new int[] {0, 1, 0, 1, 1}) { // magnitude 5, then its sign: -5
      e.write(128, bit);
    }
    byte[] data = e.flush();

    BoolDecoder d = new BoolDecoder(data, 0, data.length);
    assertEquals(91, d.literal(7));
    assertEquals(-5, d.signedLiteral(4));
  }

  @Test
  void readingFarPastThePartitionsEndMarksItExhausted() {
    RfcBoolEncoder e = new RfcBoolEncoder();
    for (int i = 0; i < 64; i++) {
      e.write(200, i % 3 == 0 ? 1 : 0);
    }
    byte[] data = e.flush();
    BoolDecoder d = new BoolDecoder(data, 0, data.length);
    for (int i = 0; i < 64; i++) {
      d.read(200);
    }
    assertFalse(d.exhausted(), "the encoded bools are all within the data");

    for (int i = 0; i < 100 && !d.exhausted(); i++) {
      d.literal(8);
    }
    assertTrue(d.exhausted());
  }

  /** RFC 6386 section 7.3's bool_encoder, transcribed. */
  static final class RfcBoolEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private byte[] buffer = new byte[0];
    private int length;
    private long range = 255;
    private long bottom;
    private int bitCount = 24;

    void write(int prob, int bit) {
      long split = 1 + (((range - 1) * prob) >> 8);
      if (bit != 0) {
        bottom += split;
        range -= split;
      } else {
        range = split;
      }
      while (range < 128) {
        range <<= 1;
        if ((bottom & (1L << 31)) != 0) {
          addOneToOutput();
        }
        bottom = (bottom << 1) & 0xffffffffL;
        if (--bitCount == 0) {
          put((int) (bottom >> 24));
          bottom &= (1 << 24) - 1;
          bitCount = 8;
        }
      }
    }

    byte[] flush() {
      int c = bitCount;
      long v = bottom;
      if ((v & (1L << (32 - c))) != 0) {
        addOneToOutput();
      }
      v = (v << (c & 7)) & 0xffffffffL;
      c >>= 3;
      while (--c >= 0) {
        v = (v << 8) & 0xffffffffL;
      }
      for (int i = 0; i < 4; i++) {
        put((int) (v >> 24));
        v = (v << 8) & 0xffffffffL;
      }
      out.write(buffer, 0, length);
      return out.toByteArray();
    }

    private void put(int b) {
      if (length == buffer.length) {
        buffer = java.util.Arrays.copyOf(buffer, Math.max(16, 2 * length));
      }
      buffer[length++] = (byte) b;
    }

    private void addOneToOutput() {
      int q = length;
      while (buffer[--q] == (byte) 255) {
        buffer[q] = 0;
      }
      buffer[q]++;
    }
  }
}
