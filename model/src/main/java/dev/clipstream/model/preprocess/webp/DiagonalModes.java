package dev.clipstream.model.preprocess.webp;

import static dev.clipstream.model.preprocess.webp.IntraPredictor.avg2;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.avg3;

/**
 * The four subblock modes of RFC 6386 section 12.3 whose lines have slopes of 2 and 1/2. {@code e}
 * is the RFC's edge E = L[3], L[2], L[1], L[0], P, A[0..3]; {@code a} its row A[0..7]; {@code l}
 * its column L[0..3].
 */
final class DiagonalModes {

  private DiagonalModes() {}

  static void verticalRight(int[] b, int o, int s, int[] e) {
    set(b, o, s, 3, 0, avg3(e[1], e[2], e[3]));
    set(b, o, s, 2, 0, avg3(e[2], e[3], e[4]));
    set(b, o, s, 3, 1, set(b, o, s, 1, 0, avg3(e[3], e[4], e[5])));
    set(b, o, s, 2, 1, set(b, o, s, 0, 0, avg2(e[4], e[5])));
    set(b, o, s, 3, 2, set(b, o, s, 1, 1, avg3(e[4], e[5], e[6])));
    set(b, o, s, 2, 2, set(b, o, s, 0, 1, avg2(e[5], e[6])));
    set(b, o, s, 3, 3, set(b, o, s, 1, 2, avg3(e[5], e[6], e[7])));
    set(b, o, s, 2, 3, set(b, o, s, 0, 2, avg2(e[6], e[7])));
    set(b, o, s, 1, 3, avg3(e[6], e[7], e[8]));
    set(b, o, s, 0, 3, avg2(e[7], e[8]));
  }

  static void verticalLeft(int[] b, int o, int s, int[] a) {
    set(b, o, s, 0, 0, avg2(a[0], a[1]));
    set(b, o, s, 1, 0, avg3(a[0], a[1], a[2]));
    set(b, o, s, 2, 0, set(b, o, s, 0, 1, avg2(a[1], a[2])));
    set(b, o, s, 1, 1, set(b, o, s, 3, 0, avg3(a[1], a[2], a[3])));
    set(b, o, s, 2, 1, set(b, o, s, 0, 2, avg2(a[2], a[3])));
    set(b, o, s, 3, 1, set(b, o, s, 1, 2, avg3(a[2], a[3], a[4])));
    set(b, o, s, 2, 2, set(b, o, s, 0, 3, avg2(a[3], a[4])));
    set(b, o, s, 3, 2, set(b, o, s, 1, 3, avg3(a[3], a[4], a[5])));
    set(b, o, s, 2, 3, avg3(a[4], a[5], a[6])); // the last two break the pattern
    set(b, o, s, 3, 3, avg3(a[5], a[6], a[7]));
  }

  static void horizontalDown(int[] b, int o, int s, int[] e) {
    set(b, o, s, 3, 0, avg2(e[0], e[1]));
    set(b, o, s, 3, 1, avg3(e[0], e[1], e[2]));
    set(b, o, s, 2, 0, set(b, o, s, 3, 2, avg2(e[1], e[2])));
    set(b, o, s, 2, 1, set(b, o, s, 3, 3, avg3(e[1], e[2], e[3])));
    set(b, o, s, 2, 2, set(b, o, s, 1, 0, avg2(e[2], e[3])));
    set(b, o, s, 2, 3, set(b, o, s, 1, 1, avg3(e[2], e[3], e[4])));
    set(b, o, s, 1, 2, set(b, o, s, 0, 0, avg2(e[3], e[4])));
    set(b, o, s, 1, 3, set(b, o, s, 0, 1, avg3(e[3], e[4], e[5])));
    set(b, o, s, 0, 2, avg3(e[4], e[5], e[6]));
    set(b, o, s, 0, 3, avg3(e[5], e[6], e[7]));
  }

  static void horizontalUp(int[] b, int o, int s, int[] l) {
    set(b, o, s, 0, 0, avg2(l[0], l[1]));
    set(b, o, s, 0, 1, avg3(l[0], l[1], l[2]));
    set(b, o, s, 0, 2, set(b, o, s, 1, 0, avg2(l[1], l[2])));
    set(b, o, s, 0, 3, set(b, o, s, 1, 1, avg3(l[1], l[2], l[3])));
    set(b, o, s, 1, 2, set(b, o, s, 2, 0, avg2(l[2], l[3])));
    set(b, o, s, 1, 3, set(b, o, s, 2, 1, avg3(l[2], l[3], l[3])));
    for (int[] rc : new int[][] {{2, 2}, {2, 3}, {3, 0}, {3, 1}, {3, 2}, {3, 3}}) {
      set(b, o, s, rc[0], rc[1], l[3]); // no pixels lie on these diagonals
    }
  }

  private static int set(int[] b, int o, int s, int row, int col, int v) {
    b[o + row * s + col] = v;
    return v;
  }
}
