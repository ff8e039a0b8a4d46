package dev.clipstream.model.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * A read-only byte range of a file mapped as several buffers, because one {@code MappedByteBuffer}
 * holds at most 2 GiB. A slice inside one piece is a view; one that straddles a boundary is copied
 * into a heap buffer (a single tensor is read into one Java array anyway).
 */
final class MappedPieces {

  /** 1 GiB pieces: well under the 2 GiB limit of one buffer, few enough mappings for any model. */
  static final long DEFAULT_PIECE_BYTES = 1L << 30;

  private final ByteBuffer[] pieces;
  private final long pieceBytes;
  private final long length;

  private MappedPieces(ByteBuffer[] pieces, long pieceBytes, long length) {
    this.pieces = pieces;
    this.pieceBytes = pieceBytes;
    this.length = length;
  }

  /**
   * Maps {@code length} bytes of {@code channel} from {@code offset} in pieces of at most {@code
   * pieceBytes}.
   */
  static MappedPieces map(FileChannel channel, long offset, long length, long pieceBytes)
      throws IOException {
    if (pieceBytes < 1 || pieceBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("piece size " + pieceBytes + " is not in [1, 2^31)");
    }
    int count = (int) Math.max(1, (length + pieceBytes - 1) / pieceBytes);
    ByteBuffer[] pieces = new ByteBuffer[count];
    for (int i = 0; i < count; i++) {
      long start = i * pieceBytes;
      long size = Math.min(pieceBytes, length - start);
      pieces[i] = channel.map(FileChannel.MapMode.READ_ONLY, offset + start, Math.max(0, size));
    }
    return new MappedPieces(pieces, pieceBytes, length);
  }

  /** Bytes already in memory, as one piece. */
  static MappedPieces wrap(ByteBuffer bytes) {
    return new MappedPieces(
        new ByteBuffer[] {bytes}, Math.max(1, bytes.remaining()), bytes.remaining());
  }

  /** How many bytes the range holds. */
  long length() {
    return length;
  }

  /** How many buffers map it. */
  int pieceCount() {
    return pieces.length;
  }

  /** Bytes {@code [begin, begin + count)} of the range, little-endian. */
  ByteBuffer slice(long begin, long count) {
    if (begin < 0 || count < 0 || begin + count > length || count > Integer.MAX_VALUE) {
      throw new IndexOutOfBoundsException(
          "bytes [" + begin + ", " + (begin + count) + ") of " + length);
    }
    int first = (int) (begin / pieceBytes);
    int at = (int) (begin - first * pieceBytes);
    if (count == 0 || at + count <= pieces[first].limit()) {
      return pieces[first].slice(at, (int) count).order(ByteOrder.LITTLE_ENDIAN);
    }
    ByteBuffer copy = ByteBuffer.allocate((int) count);
    long remaining = count;
    int piece = first;
    while (remaining > 0) {
      int take = (int) Math.min(remaining, pieces[piece].limit() - at);
      copy.put(pieces[piece].slice(at, take));
      remaining -= take;
      piece++;
      at = 0;
    }
    return copy.flip().order(ByteOrder.LITTLE_ENDIAN);
  }
}
