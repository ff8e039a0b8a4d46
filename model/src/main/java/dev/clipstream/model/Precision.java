package dev.clipstream.model;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The floating-point type a model's parameters are held and computed in. {@code float32} matches
 * OpenAI's reference outputs; {@code float16} halves memory (fast on GPUs, slow on CPUs); {@code
 * bfloat16} is named so that the setting can refuse it clearly (see {@link #requireUsable()}).
 */
public enum Precision {
  /** 32-bit floats (the default). */
  FLOAT32("float32", DataType.FLOAT32),
  /** IEEE half precision. */
  FLOAT16("float16", DataType.FLOAT16),
  /** Brain floating point: float32's range, 8 bits of mantissa. */
  BFLOAT16("bfloat16", DataType.BFLOAT16);

  private final String key;
  private final DataType dataType;

  Precision(String key, DataType dataType) {
    this.key = key;
    this.dataType = dataType;
  }

  /** The setting's value: {@code float32}, {@code float16} or {@code bfloat16}. */
  public String key() {
    return key;
  }

  /** DJL's type for it. */
  public DataType dataType() {
    return dataType;
  }

  /**
   * Refuses a precision the engine cannot run. DJL 0.35.1's PyTorch JNI aborts the whole process
   * (C++ {@code terminate}) when asked to create or convert to a bfloat16 tensor, checked with
   * {@code NDArray.toType(BFLOAT16)} and {@code NDManager.create(buffer, shape, BFLOAT16)} on
   * PyTorch 2.7.1, so bfloat16 is refused here before any native call rather than crashing.
   */
  public void requireUsable() {
    if (this == BFLOAT16) {
      throw new IllegalArgumentException(
          "precision bfloat16 is not usable with DJL 0.35.1's PyTorch engine (creating a"
              + " bfloat16 tensor aborts the process); use float32, or float16");
    }
  }

  /** Parses a setting value, naming the accepted ones when it is none of them. */
  public static Precision parse(String key) {
    for (Precision precision : values()) {
      if (precision.key.equalsIgnoreCase(key.trim())) {
        return precision;
      }
    }
    throw new IllegalArgumentException(
        "unknown precision '"
            + key
            + "': use "
            + Arrays.stream(values()).map(Precision::key).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return key;
  }
}
