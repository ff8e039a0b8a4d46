package dev.clipstream.model.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * An IDX file of unsigned bytes (the MNIST family's format): a magic number whose third byte is the
 * element type (0x08 = unsigned byte) and whose fourth is the number of dimensions, then the
 * dimensions as big-endian ints, then the data.
 */
public record IdxFile(int[] dimensions, byte[] data) {

  /** IDX element type code of unsigned bytes. */
  static final int UNSIGNED_BYTE = 0x08;

  /** Reads an uncompressed IDX stream; fails with a message naming what is wrong. */
  public static IdxFile read(InputStream stream, String name) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    int magic = in.readInt();
    if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE) {
      throw new IOException(
          name
              + " is not an IDX file of unsigned bytes (magic 0x"
              + Integer.toHexString(magic)
              + ")");
    }
    int rank = magic & 0xff;
    if (rank < 1 || rank > 4) {
      throw new IOException(name + " declares " + rank + " dimensions");
    }
    int[] dims = new int[rank];
    long count = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = in.readInt();
      if (dims[i] <= 0) {
        throw new IOException(name + " has dimension " + dims[i]);
      }
      count *= dims[i];
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new IOException(name + " declares " + count + " elements");
    }
    byte[] data = new byte[(int) count];
    try {
      in.readFully(data);
    } catch (java.io.EOFException e) {
      throw new IOException(name + " ends before its " + count + " elements", e);
    }
    return new IdxFile(dims, data);
  }

  /** The number of items (the first dimension). */
  public int count() {
    return dimensions[0];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdxFile f
        && Arrays.equals(dimensions, f.dimensions)
        && Arrays.equals(data, f.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(dimensions) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IdxFile" + Arrays.toString(dimensions);
  }
}
