package dev.clipstream.model.preprocess.webp;

/**
 * Decodes one VP8 key frame (RFC 6386) into RGB as libwebp outputs it: headers, then per macroblock
 * its modes from the first partition and its coefficients from its row's token partition,
 * reconstruction, then the loop filter over the frame and the conversion to RGB.
 */
final class Vp8Decoder {

  private Vp8Decoder() {}

  /** The frame's width and height from its first 10 bytes, without decoding anything. */
  static int[] dimensions(byte[] data, int offset, int length) throws Vp8Exception {
    FrameHeader h = FrameHeader.readTag(data, offset, length);
    return new int[] {h.width, h.height};
  }

  /** The RGB pixels of the frame in {@code data[offset, offset + length)}. */
  static byte[] decode(byte[] data, int offset, int length) throws Vp8Exception {
    FrameHeader h = FrameHeader.read(data, offset, length);
    int mbWidth = (h.width + 15) >> 4;
    int mbHeight = (h.height + 15) >> 4;
    BoolDecoder[] partitions = partitions(data, h, offset + length);
    Quantizer[] quantizers = h.quantizers();
    LoopFilter.Strength[][] strengths = strengths(h);
    LoopFilter.Strength[] perMacroblock = new LoopFilter.Strength[mbWidth * mbHeight];
    MacroblockModes modes = new MacroblockModes(mbWidth);
    Residuals residuals = new Residuals(h.coefficientProbs, mbWidth);
    Reconstructor frame = new Reconstructor(mbWidth, mbHeight);
    for (int mbY = 0; mbY < mbHeight; mbY++) {
      BoolDecoder tokens = partitions[mbY & (partitions.length - 1)];
      modes.startRow();
      residuals.startRow();
      for (int mbX = 0; mbX < mbWidth; mbX++) {
        modes.read(h.decoder, h, mbX);
        boolean hasY2 = modes.lumaMode != IntraPredictor.B_PRED;
        boolean hasCoefficients = false;
        if (modes.skip) {
          residuals.skip(mbX, hasY2);
        } else {
          hasCoefficients = residuals.read(tokens, mbX, hasY2, quantizers[modes.segment]);
        }
        if (h.decoder.exhausted() || tokens.exhausted()) {
          throw new Vp8Exception("the VP8 data is cut short at macroblock " + mbX + "," + mbY);
        }
        frame.macroblock(mbX, mbY, modes, residuals.coeffs);
        LoopFilter.Strength st = strengths[modes.segment][hasY2 ? 0 : 1];
        perMacroblock[mbY * mbWidth + mbX] = hasCoefficients ? st.withInnerEdges() : st;
      }
    }
    if (h.filterLevel > 0) { // libwebp (and libvpx) filter nothing when the frame's level is 0
      LoopFilter.apply(frame, perMacroblock, h.simpleFilter);
    }
    return YuvToRgb.convert(frame, h.width, h.height);
  }

  /**
   * The token partitions after the first (section 9.5): their sizes, 3 bytes each but the last, are
   * clamped to the data as libwebp does; the last takes the rest and must not be empty.
   */
  private static BoolDecoder[] partitions(byte[] data, FrameHeader h, int end) throws Vp8Exception {
    int count = h.partitions;
    int sizes = h.firstPartitionEnd;
    int start = sizes + 3 * (count - 1);
    if (start >= end) {
      throw new Vp8Exception("the VP8 data is cut short: no token partition");
    }
    BoolDecoder[] out = new BoolDecoder[count];
    for (int i = 0; i < count - 1; i++) {
      int at = sizes + 3 * i;
      int size = (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16;
      size = Math.min(size, end - start);
      out[i] = new BoolDecoder(data, start, size);
      start += size;
    }
    if (start >= end) {
      throw new Vp8Exception("the VP8 data is cut short: its last token partition is empty");
    }
    out[count - 1] = new BoolDecoder(data, start, end - start);
    return out;
  }

  /**
   * The loop filter's strength per segment, without and with B_PRED (section 9.6, 15.1): the
   * segment's level, absolute or relative to the frame's, then the intra-frame reference delta and,
   * for B_PRED, the first mode delta, clamped to 0..63. B_PRED macroblocks always filter their
   * inner edges; the others only when they have coefficients.
   */
  private static LoopFilter.Strength[][] strengths(FrameHeader h) {
    LoopFilter.Strength[][] out = new LoopFilter.Strength[4][2];
    for (int s = 0; s < 4; s++) {
      int base = h.filterLevel;
      if (h.segmentation) {
        base = h.segmentFilterLevel[s] + (h.absoluteSegmentValues ? 0 : h.filterLevel);
      }
      for (int bPred = 0; bPred <= 1; bPred++) {
        int level = base;
        if (h.filterDeltas) {
          level += h.refFilterDelta[0] + (bPred == 1 ? h.modeFilterDelta[0] : 0);
        }
        level = Math.max(0, Math.min(63, level));
        out[s][bPred] = LoopFilter.Strength.of(level, h.sharpness, bPred == 1);
      }
    }
    return out;
  }
}
