package dev.clipstream.model.weights;

/** Conversions between IEEE 754 half precision, bfloat16 and float (JDK 17 has no Float16). */
final class HalfFloats {
  private HalfFloats() {}

  /** Widens an IEEE 754 binary16 value to float, exactly (every half is a float). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      // Subnormal half: value = mantissa * 2^-24.
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
  }

  /** Rounds a float to the nearest binary16 (ties to even), as PyTorch's {@code .half()} does. */
  static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
    }
    int e = exponent - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      mantissa |= 0x800000;
      int shift = 14 - e;
      int half = mantissa >> shift;
      int rest = mantissa & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rest > halfway || (rest == halfway && (half & 1) == 1)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (e << 10) | (mantissa >> 13);
    int rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++; // may carry into the exponent, which is the correct rounding
    }
    return (short) (sign | half);
  }

  /** Widens a bfloat16 (the upper half of a float) to float. */
  static float bfloat16ToFloat(short value) {
    return Float.intBitsToFloat((value & 0xffff) << 16);
  }
}
