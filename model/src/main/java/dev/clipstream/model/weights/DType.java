package dev.clipstream.model.weights;

/** The safetensors element types clipstream reads and writes, with their size in bytes. */
public enum DType {
  F16(2),
  BF16(2),
  F32(4),
  F64(8),
  I32(4),
  I64(8),
  U8(1);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Size of one element in bytes. */
  public int bytes() {
    return bytes;
  }

  /** Whether the type holds floating-point numbers. */
  public boolean isFloating() {
    return this == F16 || this == BF16 || this == F32 || this == F64;
  }

  /** Parses the dtype string of a safetensors header, or fails naming the unknown type. */
  public static DType parse(String name) {
    try {
      return valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new SafeTensorsFormatException("unsupported dtype '" + name + "'");
    }
  }
}
