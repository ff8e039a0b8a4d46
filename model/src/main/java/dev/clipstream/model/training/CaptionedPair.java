package dev.clipstream.model.training;

import dev.clipstream.model.preprocess.ImagePreprocessor;

/**
 * One image and the caption that came with it: a training example from the stream. The image is
 * kept as the 8-bit RGB crop CLIP's preprocessing normalises ({@code [3, size, size]},
 * channel-major), a quarter of its float tensor, and normalised again when a batch is made. Public
 * fields so that stream processors can keep it in their state as a plain object.
 */
public class CaptionedPair {
  public byte[] rgb;
  public String caption;

  /** For serializers. */
  public CaptionedPair() {}

  public CaptionedPair(byte[] rgb, String caption) {
    this.rgb = rgb;
    this.caption = caption;
  }

  /** A pair of a preprocessed tensor ({@link ImagePreprocessor}'s output) and its caption. */
  public static CaptionedPair ofPreprocessed(float[] chw, String caption) {
    return new CaptionedPair(ImagePreprocessor.quantise(chw), caption);
  }
}
