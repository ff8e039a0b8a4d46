package dev.clipstream.model.preprocess.webp;

/**
 * The boolean entropy decoder of RFC 6386 section 7 over one partition of the frame. Reading past
 * the partition's end yields zero bits and marks it {@link #exhausted()} at the point libwebp does
 * (which then reports the frame cut short): a bool read while fewer than 8 of the partition's bits
 * are left that normalisation has not shifted out. libwebp keeps an 8-bit window and loads a byte
 * whenever a read finds fewer than 8 bits in it; this decoder's 16-bit window runs ahead of that.
 */
final class BoolDecoder {

  private final byte[] data;
  private final int end;
  private final long lengthBits;
  private int pos;
  private int value;
  private int range = 255;
  private int bitCount;
  private int loads;
  private boolean exhausted;

  BoolDecoder(byte[] data, int offset, int length) {
    this.data = data;
    this.pos = offset;
    this.end = offset + length;
    this.lengthBits = 8L * length;
    value = (nextByte() << 8) | nextByte();
  }

  private int nextByte() {
    loads++;
    return pos < end ? data[pos++] & 0xff : 0;
  }

  /** One bool whose probability of being 0 is {@code prob}/256: 0 or 1. */
  int read(int prob) {
    long shiftedOut = 8L * loads - 16 + bitCount;
    if (shiftedOut + 7 >= lengthBits) {
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
