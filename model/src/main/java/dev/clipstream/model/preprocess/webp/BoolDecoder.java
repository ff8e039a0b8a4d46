package dev.clipstream.model.preprocess.webp;

/**
 * The boolean entropy decoder of RFC 6386 section 7 over one partition of the frame. Reading past
 * the partition's end yields zero bits and marks it {@link #exhausted()}: libwebp reports such a
 * frame as cut short, and so do we (its 8-bit window lags our 16-bit one by a byte, so one zero
 * byte past the end is still within the data it would read).
 */
final class BoolDecoder {

  private final byte[] data;
  private final int end;
  private int pos;
  private int value;
  private int range = 255;
  private int bitCount;
  private int bytesPastEnd;
  private boolean exhausted;

  BoolDecoder(byte[] data, int offset, int length) {
    this.data = data;
    this.pos = offset;
    this.end = offset + length;
    value = (nextByte() << 8) | nextByte();
  }

  private int nextByte() {
    if (pos < end) {
      return data[pos++] & 0xff;
    }
    bytesPastEnd++;
    return 0;
  }

  /** One bool whose probability of being 0 is {@code prob}/256: 0 or 1. */
  int read(int prob) {
    if (bytesPastEnd >= 2) {
      exhausted = true;
    }
    int split = 1 + (((range - 1) * prob) >> 8);
    int bigSplit = split << 8;
    int bit;
    if (value >= bigSplit) {
      bit = 1;
      range -= split;
      value -= bigSplit;
    } else {
      bit = 0;
      range = split;
    }
    while (range < 128) {
      value <<= 1;
      range <<= 1;
      if (++bitCount == 8) {
        bitCount = 0;
        value |= nextByte();
      }
    }
    return bit;
  }

  /** One even-odds flag. */
  boolean flag() {
    return read(128) == 1;
  }

  /** An unsigned n-bit literal, most significant bit first. */
  int literal(int bits) {
    int v = 0;
    for (int i = 0; i < bits; i++) {
      v = (v << 1) | read(128);
    }
    return v;
  }

  /** An n-bit magnitude followed by its sign, as the frame header codes its deltas. */
  int signedLiteral(int bits) {
    int v = literal(bits);
    return flag() ? -v : v;
  }

  /** A flag, then (when set) a signed n-bit value; 0 when the flag is clear. */
  int optionalSigned(int bits) {
    return flag() ? signedLiteral(bits) : 0;
  }

  /**
   * A value read down a coding tree (RFC 6386 section 8.1): positive entries are the indices of the
   * next node pair, the others the negated leaves; node pair i uses {@code probs[offset + i/2]}.
   */
  int tree(int[] tree, int[] probs, int offset) {
    int i = 0;
    while ((i = tree[i + read(probs[offset + (i >> 1)])]) > 0) {
      // walk down
    }
    return -i;
  }

  /** Whether decoding needed bytes beyond the end of the partition. */
  boolean exhausted() {
    return exhausted;
  }
}
