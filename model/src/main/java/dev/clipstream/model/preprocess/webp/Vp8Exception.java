package dev.clipstream.model.preprocess.webp;

/**
 * A VP8 stream that cannot be decoded: broken, cut short or of a kind WebP does not allow. It never
 * leaves this package; {@link LossyWebp} turns it into a rejection.
 */
final class Vp8Exception extends Exception {

  private static final long serialVersionUID = 1L;

  Vp8Exception(String message) {
    super(message, null, false, false);
  }
}
