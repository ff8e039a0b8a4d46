package dev.clipstream.model.preprocess;

import java.io.Serializable;

/**
 * How images are prepared for the encoder: the square input size, the limits that refuse an image
 * before it costs memory, and whether embedded ICC profiles are applied (off by default: OpenAI's
 * pipeline decodes with Pillow, which ignores them, so its embeddings were made from the stored
 * values).
 */
public record PreprocessOptions(int size, long maxPixels, int maxBytes, boolean applyIccProfiles)
    implements Serializable {

  /**
   * 40 megapixels: more than a full-size photo from a current phone, while a decoded 40 MP image
   * already takes 160 MB of heap as ImageIO holds it; larger ones are refused rather than risked.
   */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  /** 16 MiB: above typical upload limits for photos, far below what would strain a task manager. */
  public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

  public PreprocessOptions {
    if (size < 1 || maxPixels < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("size, max pixels and max bytes must be positive");
    }
  }

  /** Options that leave embedded ICC profiles unapplied, as Pillow does. */
  public PreprocessOptions(int size, long maxPixels, int maxBytes) {
    this(size, maxPixels, maxBytes, false);
  }

  /** The same options with ICC profiles applied or not. */
  public PreprocessOptions withIccProfiles(boolean apply) {
    return new PreprocessOptions(size, maxPixels, maxBytes, apply);
  }

  /** Default limits at input size {@code size}. */
  public static PreprocessOptions defaults(int size) {
    return new PreprocessOptions(size, DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES);
  }
}
