package dev.clipstream.model.preprocess.webp;

/**
 * The filters across one edge of RFC 6386 sections 15.2 to 15.4. Each runs along {@code count}
 * pixels of the edge: the pixel just after the edge at {@code o + i * along}, its neighbours across
 * the edge {@code across} apart (p0 before, q0 at it). Values are unsigned here; the RFC's signed
 * arithmetic on (x - 128) gives the same differences, clamped the same.
 */
final class EdgeFilters {

  private EdgeFilters() {}

  /** The simple filter (section 15.2): only p0 and q0 move. */
  static void simple(byte[] b, int o, int across, int along, int count, int edgeLimit) {
    for (int i = 0; i < count; i++) {
      int q = o + i * along;
      int p1 = b[q - 2 * across] & 0xff;
      int p0 = b[q - across] & 0xff;
      int q0 = b[q] & 0xff;
      int q1 = b[q + across] & 0xff;
      if (2 * Math.abs(p0 - q0) + (Math.abs(p1 - q1) >> 1) <= edgeLimit) {
        commonAdjust(b, q, across, true);
      }
    }
  }

  /** The normal filter on a macroblock edge (section 15.3): up to three pixels each side move. */
  static void macroblockEdge(
      byte[] b, int o, int across, int along, int count, int edgeLimit, int interior, int hev) {
    for (int i = 0; i < count; i++) {
      int q = o + i * along;
      if (!filterYes(b, q, across, edgeLimit, interior)) {
        continue;
      }
      if (highVariance(b, q, across, hev)) {
        commonAdjust(b, q, across, true);
        continue;
      }
      int p2 = b[q - 3 * across] & 0xff;
      int p1 = b[q - 2 * across] & 0xff;
      int p0 = b[q - across] & 0xff;
      int q0 = b[q] & 0xff;
      int q1 = b[q + across] & 0xff;
      int q2 = b[q + 2 * across] & 0xff;
      int w = clamp128(clamp128(p1 - q1) + 3 * (q0 - p0));
      int a = (27 * w + 63) >> 7;
      b[q - across] = (byte) clamp255(p0 + a);
      b[q] = (byte) clamp255(q0 - a);
      a = (18 * w + 63) >> 7;
      b[q - 2 * across] = (byte) clamp255(p1 + a);
      b[q + across] = (byte) clamp255(q1 - a);
      a = (9 * w + 63) >> 7;
      b[q - 3 * across] = (byte) clamp255(p2 + a);
      b[q + 2 * across] = (byte) clamp255(q2 - a);
    }
  }

  /** The normal filter on an inner (subblock) edge (section 15.3): up to two pixels each side. */
  static void innerEdge(
      byte[] b, int o, int across, int along, int count, int edgeLimit, int interior, int hev) {
    for (int i = 0; i < count; i++) {
      int q = o + i * along;
      if (!filterYes(b, q, across, edgeLimit, interior)) {
        continue;
      }
      boolean high = highVariance(b, q, across, hev);
      int a = (commonAdjust(b, q, across, high) + 1) >> 1;
      if (!high) {
        b[q - 2 * across] = (byte) clamp255((b[q - 2 * across] & 0xff) + a);
        b[q + across] = (byte) clamp255((b[q + across] & 0xff) - a);
      }
    }
  }

  /**
   * Moves p0 and q0 towards each other by about a/8 with a = 3 (q0 - p0), plus (p1 - q1) when
   * {@code outerTaps}; returns the amount taken from q0.
   */
  private static int commonAdjust(byte[] b, int q, int across, boolean outerTaps) {
    int p1 = b[q - 2 * across] & 0xff;
    int p0 = b[q - across] & 0xff;
    int q0 = b[q] & 0xff;
    int q1 = b[q + across] & 0xff;
    int a = clamp128((outerTaps ? clamp128(p1 - q1) : 0) + 3 * (q0 - p0));
    int f2 = clamp128(a + 3) >> 3;
    int f1 = clamp128(a + 4) >> 3;
    b[q] = (byte) clamp255(q0 - f1);
    b[q - across] = (byte) clamp255(p0 + f2);
    return f1;
  }

  private static boolean filterYes(byte[] b, int q, int across, int edgeLimit, int interior) {
    int p3 = b[q - 4 * across] & 0xff;
    int p2 = b[q - 3 * across] & 0xff;
    int p1 = b[q - 2 * across] & 0xff;
    int p0 = b[q - across] & 0xff;
    int q0 = b[q] & 0xff;
    int q1 = b[q + across] & 0xff;
    int q2 = b[q + 2 * across] & 0xff;
    int q3 = b[q + 3 * across] & 0xff;
    return 2 * Math.abs(p0 - q0) + (Math.abs(p1 - q1) >> 1) <= edgeLimit
        && Math.abs(p3 - p2) <= interior
        && Math.abs(p2 - p1) <= interior
        && Math.abs(p1 - p0) <= interior
        && Math.abs(q3 - q2) <= interior
        && Math.abs(q2 - q1) <= interior
        && Math.abs(q1 - q0) <= interior;
  }

  private static boolean highVariance(byte[] b, int q, int across, int threshold) {
    int p1 = b[q - 2 * across] & 0xff;
    int p0 = b[q - across] & 0xff;
    int q0 = b[q] & 0xff;
    int q1 = b[q + across] & 0xff;
    return Math.abs(p1 - p0) > threshold || Math.abs(q1 - q0) > threshold;
  }

  private static int clamp128(int v) {
    return v < -128 ? -128 : Math.min(v, 127);
  }

  private static int clamp255(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }
}
