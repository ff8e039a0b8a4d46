package dev.clipstream.model.training;

/**
 * One preprocessed image ({@code [3, size, size]}, channel-major) and the caption that came with
 * it: a training example from the stream. Public fields so that stream processors can keep it in
 * their state as a plain object.
 */
public class CaptionedPair {
  public float[] pixels;
  public String caption;

  /** For serializers. */
  public CaptionedPair() {}

  public CaptionedPair(float[] pixels, String caption) {
    this.pixels = pixels;
    this.caption = caption;
  }
}
