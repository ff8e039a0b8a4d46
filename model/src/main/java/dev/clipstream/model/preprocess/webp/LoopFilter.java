package dev.clipstream.model.preprocess.webp;

/**
 * The loop filters of RFC 6386 section 15 over the reconstructed planes, macroblock by macroblock
 * in raster order: the left macroblock edge, the inner vertical edges, the top edge, the inner
 * horizontal edges. The simple filter touches luma only; the normal one all three planes.
 */
final class LoopFilter {

  private LoopFilter() {}

  /**
   * The filter parameters of one macroblock: {@code limit} the edge limit of inner edges (the
   * macroblock edges use 4 more), 0 for none; {@code interior} the interior limit; {@code hev} the
   * high-edge-variance threshold; {@code inner} whether the inner edges are filtered.
   */
  record Strength(int limit, int interior, int hev, boolean inner) {

    /** For a filter level (0..63 after deltas) and the frame's sharpness (section 15.2, 9.6). */
    static Strength of(int level, int sharpness, boolean inner) {
      if (level <= 0) {
        return new Strength(0, 0, 0, inner);
      }
      int interior = level;
      if (sharpness > 0) {
        interior >>= sharpness > 4 ? 2 : 1;
        interior = Math.min(interior, 9 - sharpness);
      }
      interior = Math.max(interior, 1);
      int hev = level >= 40 ? 2 : level >= 15 ? 1 : 0;
      return new Strength(2 * level + interior, interior, hev, inner);
    }

    /** The same, filtering the inner edges too: a macroblock with non-zero coefficients. */
    Strength withInnerEdges() {
      return inner ? this : new Strength(limit, interior, hev, true);
    }
  }

  /** Filters the planes; {@code strengths} holds one entry per macroblock in raster order. */
  static void apply(Reconstructor f, Strength[] strengths, boolean simple) {
    for (int mbY = 0; mbY < f.mbHeight; mbY++) {
      for (int mbX = 0; mbX < f.mbWidth; mbX++) {
        Strength st = strengths[mbY * f.mbWidth + mbX];
        if (st.limit() == 0) {
          continue;
        }
        int yo = mbY * 16 * f.yStride + mbX * 16;
        if (simple) {
          simpleMacroblock(f.y, yo, f.yStride, mbX, mbY, st);
        } else {
          normal(f.y, yo, f.yStride, 16, mbX, mbY, st);
          int uvo = mbY * 8 * f.uvStride + mbX * 8;
          normal(f.u, uvo, f.uvStride, 8, mbX, mbY, st);
          normal(f.v, uvo, f.uvStride, 8, mbX, mbY, st);
        }
      }
    }
  }

  private static void simpleMacroblock(byte[] p, int o, int stride, int mbX, int mbY, Strength st) {
    if (mbX > 0) {
      EdgeFilters.simple(p, o, 1, stride, 16, st.limit() + 4);
    }
    if (st.inner()) {
      for (int i = 4; i < 16; i += 4) {
        EdgeFilters.simple(p, o + i, 1, stride, 16, st.limit());
      }
    }
    if (mbY > 0) {
      EdgeFilters.simple(p, o, stride, 1, 16, st.limit() + 4);
    }
    if (st.inner()) {
      for (int i = 4; i < 16; i += 4) {
        EdgeFilters.simple(p, o + i * stride, stride, 1, 16, st.limit());
      }
    }
  }

  private static void normal(byte[] p, int o, int stride, int size, int mbX, int mbY, Strength st) {
    if (mbX > 0) {
      EdgeFilters.macroblockEdge(p, o, 1, stride, size, st.limit() + 4, st.interior(), st.hev());
    }
    if (st.inner()) {
      for (int i = 4; i < size; i += 4) {
        EdgeFilters.innerEdge(p, o + i, 1, stride, size, st.limit(), st.interior(), st.hev());
      }
    }
    if (mbY > 0) {
      EdgeFilters.macroblockEdge(p, o, stride, 1, size, st.limit() + 4, st.interior(), st.hev());
    }
    if (st.inner()) {
      for (int i = 4; i < size; i += 4) {
        EdgeFilters.innerEdge(
            p, o + i * stride, stride, 1, size, st.limit(), st.interior(), st.hev());
      }
    }
  }
}
