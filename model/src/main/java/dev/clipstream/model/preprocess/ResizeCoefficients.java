package dev.clipstream.model.preprocess;

/**
 * Pillow's bicubic resampling weights along one axis, for outputs {@code from..from+n-1} of a
 * resize from {@code inSize} to {@code outSize} (index 0 is output {@code from}): the first input
 * each output reads, how many inputs, and their weights in 22-bit fixed point, {@code stride}
 * apart. The kernel (a = −0.5) widens its support by the scale factor when shrinking, and each
 * output's weights are normalised before rounding, as Pillow's {@code precompute_coeffs} does.
 */
record ResizeCoefficients(int[] first, int[] count, int[] weights, int stride) {

  /** Pillow's fixed-point precision for 8-bit images: 32 − 8 − 2 bits. */
  static final int PRECISION_BITS = 32 - 8 - 2;

  /** Bicubic kernel parameter (Keys 1981; Pillow's choice). */
  static final double A = -0.5;

  /** Bicubic kernel support before scaling. */
  static final double SUPPORT = 2.0;

  static ResizeCoefficients of(int inSize, int outSize, int from, int n) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int stride = (int) Math.ceil(support) * 2 + 1;
    int[] first = new int[n];
    int[] count = new int[n];
    int[] weights = new int[n * stride];
    double[] k = new double[stride];
    for (int j = 0; j < n; j++) {
      double center = (from + j + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int max = Math.min((int) (center + support + 0.5), inSize) - min;
      double total = 0;
      for (int i = 0; i < max; i++) {
        k[i] = bicubic((i + min - center + 0.5) / filterScale);
        total += k[i];
      }
      for (int i = 0; i < max; i++) {
        double w = total != 0 ? k[i] / total : 0;
        weights[j * stride + i] = (int) (w * (1 << PRECISION_BITS) + (w < 0 ? -0.5 : 0.5));
      }
      first[j] = min;
      count[j] = max;
    }
    return new ResizeCoefficients(first, count, weights, stride);
  }

  /** The first input after the last output's window: inputs [first[0], end()) are all read. */
  int end() {
    int last = first.length - 1;
    return first[last] + count[last];
  }

  static double bicubic(double x) {
    x = Math.abs(x);
    if (x < 1.0) {
      return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * A;
    }
    return 0;
  }
}
