package dev.clipstream.model.preprocess.webp;

import static dev.clipstream.model.preprocess.webp.IntraPredictor.B_DC_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.B_HD_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.B_HE_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.B_HU_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.B_LD_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.B_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.B_RD_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.B_TM_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.B_VE_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.B_VL_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.B_VR_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.DC_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.H_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.TM_PRED;
import static dev.clipstream.model.preprocess.webp.IntraPredictor.V_PRED;

/**
 * One key-frame macroblock header from the first partition (RFC 6386 sections 10, 11, 19.3): its
 * segment, whether it is coded without coefficients, its luma mode (and the 16 subblock modes of
 * B_PRED, whose probabilities depend on the modes above and to the left) and its chroma mode.
 */
final class MacroblockModes {

  /** bmode_tree, RFC 6386 section 11.2. */
  private static final int[] BMODE_TREE = {
    -B_DC_PRED,
    2,
    -B_TM_PRED,
    4,
    -B_VE_PRED,
    6,
    8,
    12,
    -B_HE_PRED,
    10,
    -B_RD_PRED,
    -B_VR_PRED,
    -B_LD_PRED,
    14,
    -B_VL_PRED,
    16,
    -B_HD_PRED,
    -B_HU_PRED
  };

  /** The subblock mode a whole-block luma mode stands for as a neighbour's context. */
  private static final int[] AS_SUBBLOCK_MODE = {B_DC_PRED, B_VE_PRED, B_HE_PRED, B_TM_PRED};

  int segment;
  boolean skip;
  int lumaMode;
  final int[] subblockModes = new int[16];
  int chromaMode;

  private final int[] above;
  private final int[] left = new int[4];

  MacroblockModes(int mbWidth) {
    above = new int[mbWidth * 4]; // B_DC_PRED outside the frame
  }

  void startRow() {
    java.util.Arrays.fill(left, B_DC_PRED);
  }

  /** Reads the header of the macroblock at column {@code mbX}. */
  void read(BoolDecoder d, FrameHeader h, int mbX) {
    segment = 0;
    if (h.updateSegmentMap) {
      int[] p = h.segmentTreeProbs;
      segment = d.read(p[0]) == 0 ? d.read(p[1]) : 2 + d.read(p[2]);
    }
    skip = h.skipEnabled && d.read(h.skipProb) == 1;
    if (d.read(145) == 0) {
      lumaMode = B_PRED;
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          int offset = SubblockModeProbabilities.offset(above[mbX * 4 + x], left[y]);
          int mode = d.tree(BMODE_TREE, SubblockModeProbabilities.KEY_FRAME, offset);
          subblockModes[y * 4 + x] = mode;
          above[mbX * 4 + x] = left[y] = mode;
        }
      }
    } else {
      if (d.read(156) == 0) {
        lumaMode = d.read(163) == 0 ? DC_PRED : V_PRED;
      } else {
        lumaMode = d.read(128) == 0 ? H_PRED : TM_PRED;
      }
      int implied = AS_SUBBLOCK_MODE[lumaMode];
      java.util.Arrays.fill(above, mbX * 4, mbX * 4 + 4, implied);
      java.util.Arrays.fill(left, implied);
    }
    if (d.read(142) == 0) {
      chromaMode = DC_PRED;
    } else if (d.read(114) == 0) {
      chromaMode = V_PRED;
    } else {
      chromaMode = d.read(183) == 0 ? H_PRED : TM_PRED;
    }
  }
}
