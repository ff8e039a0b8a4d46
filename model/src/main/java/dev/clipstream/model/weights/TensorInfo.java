package dev.clipstream.model.weights;

import java.util.Arrays;

/** One tensor's entry in a safetensors header: its type, shape and byte range in the data. */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

  /** Number of elements (1 for a scalar). */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Shape as text, e.g. {@code [768, 3, 32, 32]}. */
  public String shapeText() {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && begin == t.begin
        && end == t.end;
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + dtype + shapeText();
  }
}
