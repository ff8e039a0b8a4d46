package dev.clipstream.model.preprocess.webp;

/**
 * A VP8 key frame's header: the uncompressed frame tag and dimensions (RFC 6386 section 9.1) and
 * the start of the first partition (sections 9.2 to 9.11, 19.2), read up to the per-macroblock
 * data, which {@code decoder} is left positioned at.
 */
final class FrameHeader {

  int width;
  int height;
  boolean segmentation;
  boolean updateSegmentMap;
  boolean absoluteSegmentValues;
  final int[] segmentQuantizer = new int[4];
  final int[] segmentFilterLevel = new int[4];
  final int[] segmentTreeProbs = {255, 255, 255};
  boolean simpleFilter;
  int filterLevel;
  int sharpness;
  boolean filterDeltas;
  final int[] refFilterDelta = new int[4];
  final int[] modeFilterDelta = new int[4];
  int partitions;
  int baseQuantizer;
  final int[] quantizerDeltas = new int[5];
  final int[] coefficientProbs = CoefficientProbabilities.DEFAULTS.clone();
  boolean skipEnabled;
  int skipProb;

  /** The first partition, positioned at the macroblock headers. */
  BoolDecoder decoder;

  /** Where the first partition ends in the data: the token partitions follow. */
  int firstPartitionEnd;

  private FrameHeader() {}

  /** Reads the header of the VP8 frame in {@code data[offset, offset + length)}. */
  static FrameHeader read(byte[] data, int offset, int length) throws Vp8Exception {
    FrameHeader h = readTag(data, offset, length);
    int firstPartition = h.firstPartitionEnd - offset - 10;
    if (firstPartition > length - 10) {
      throw new Vp8Exception(
          "the VP8 frame is cut short: its first partition of "
              + firstPartition
              + " bytes runs past its end");
    }
    h.decoder = new BoolDecoder(data, offset + 10, firstPartition);
    h.readFirstPartition();
    if (h.decoder.exhausted()) {
      throw new Vp8Exception("the VP8 frame header is cut short");
    }
    return h;
  }

  /** The frame tag, start code and dimensions (the first 10 bytes) only. */
  static FrameHeader readTag(byte[] data, int offset, int length) throws Vp8Exception {
    if (length < 10) {
      throw new Vp8Exception("the VP8 frame is cut short: " + length + " bytes");
    }
    int tag =
        (data[offset] & 0xff) | (data[offset + 1] & 0xff) << 8 | (data[offset + 2] & 0xff) << 16;
    if ((tag & 1) != 0) {
      throw new Vp8Exception("the VP8 frame is not a key frame");
    }
    if (((tag >> 1) & 7) > 3) {
      throw new Vp8Exception("the VP8 frame has an unknown version " + ((tag >> 1) & 7));
    }
    if (((tag >> 4) & 1) == 0) {
      throw new Vp8Exception("the VP8 frame is not meant to be shown");
    }
    if ((data[offset + 3] & 0xff) != 0x9d
        || (data[offset + 4] & 0xff) != 0x01
        || (data[offset + 5] & 0xff) != 0x2a) {
      throw new Vp8Exception("the VP8 frame lacks its start code");
    }
    FrameHeader h = new FrameHeader();
    // The top two bits of each are an upscaling hint for the display, which libwebp ignores.
    h.width = ((data[offset + 6] & 0xff) | (data[offset + 7] & 0xff) << 8) & 0x3fff;
    h.height = ((data[offset + 8] & 0xff) | (data[offset + 9] & 0xff) << 8) & 0x3fff;
    if (h.width == 0 || h.height == 0) {
      throw new Vp8Exception("the VP8 frame declares " + h.width + "x" + h.height + " pixels");
    }
    h.firstPartitionEnd = offset + 10 + (tag >>> 5);
    return h;
  }

  private void readFirstPartition() {
    BoolDecoder d = decoder;
    d.literal(2); // colour space and clamping type: neither changes how a decoder works
    segmentation = d.flag();
    if (segmentation) {
      updateSegmentMap = d.flag();
      if (d.flag()) { // update segment feature data
        absoluteSegmentValues = d.flag();
        for (int s = 0; s < 4; s++) {
          segmentQuantizer[s] = d.optionalSigned(7);
        }
        for (int s = 0; s < 4; s++) {
          segmentFilterLevel[s] = d.optionalSigned(6);
        }
      }
      if (updateSegmentMap) {
        for (int i = 0; i < 3; i++) {
          segmentTreeProbs[i] = d.flag() ? d.literal(8) : 255;
        }
      }
    }
    simpleFilter = d.flag();
    filterLevel = d.literal(6);
    sharpness = d.literal(3);
    filterDeltas = d.flag();
    if (filterDeltas && d.flag()) {
      for (int i = 0; i < 4; i++) {
        refFilterDelta[i] = d.optionalSigned(6);
      }
      for (int i = 0; i < 4; i++) {
        modeFilterDelta[i] = d.optionalSigned(6);
      }
    }
    partitions = 1 << d.literal(2);
    baseQuantizer = d.literal(7);
    for (int i = 0; i < 5; i++) {
      quantizerDeltas[i] = d.optionalSigned(4);
    }
    d.flag(); // refresh_entropy_probs: there is no later frame to keep them for
    int[] updates = CoefficientProbabilities.UPDATES;
    for (int i = 0; i < CoefficientProbabilities.SIZE; i++) {
      if (d.read(updates[i]) == 1) {
        coefficientProbs[i] = d.literal(8);
      }
    }
    skipEnabled = d.flag();
    skipProb = skipEnabled ? d.literal(8) : 0;
  }

  /** The dequantisation factors of each of the four segments. */
  Quantizer[] quantizers() {
    Quantizer[] q = new Quantizer[4];
    for (int s = 0; s < 4; s++) {
      int index = baseQuantizer;
      if (segmentation) {
        index = segmentQuantizer[s] + (absoluteSegmentValues ? 0 : baseQuantizer);
      }
      q[s] = Quantizer.of(index, quantizerDeltas);
    }
    return q;
  }
}
