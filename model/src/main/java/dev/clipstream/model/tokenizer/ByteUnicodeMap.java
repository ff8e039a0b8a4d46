package dev.clipstream.model.tokenizer;

/**
 * GPT-2's reversible map from the 256 byte values to printable Unicode characters, which lets BPE
 * work on text while covering every byte: printable Latin-1 bytes map to themselves, the other 68
 * to U+0100 onwards, in byte order.
 */
final class ByteUnicodeMap {

  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int next = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char c = printable ? (char) b : (char) (256 + next++);
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteUnicodeMap() {}

  /** The character standing for byte {@code b} (0..255). */
  static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xff];
  }

  /** The byte a mapped character stands for, or -1. */
  static int byteOf(char c) {
    return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
  }

  /**
   * The 256 symbols in vocabulary order: the printable bytes first, then the others (the order in
   * which GPT-2's table lists them, and so the first 256 vocabulary ids).
   */
  static String symbols() {
    StringBuilder printable = new StringBuilder();
    StringBuilder others = new StringBuilder();
    for (int b = 0; b < 256; b++) {
      (BYTE_TO_CHAR[b] == b ? printable : others).append(BYTE_TO_CHAR[b]);
    }
    return printable.append(others).toString();
  }
}
