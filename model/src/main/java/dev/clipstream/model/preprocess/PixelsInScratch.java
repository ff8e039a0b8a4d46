package dev.clipstream.model.preprocess;

/**
 * A decoded image whose pixels stay in a {@link DecodeScratch}'s buffer ({@code pixels}, which may
 * be longer than {@code width × height × channels}): for a caller that resizes them at once. Valid
 * until the scratch decodes its next image.
 */
record PixelsInScratch(int width, int height, int channels, byte[] pixels) {
  PixelsInScratch {
    if ((long) width * height * channels > pixels.length) {
      throw new IllegalArgumentException(
          pixels.length + " bytes cannot hold " + width + "x" + height + "x" + channels);
    }
  }
}
