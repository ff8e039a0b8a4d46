package dev.clipstream.model.preprocess;

/**
 * An image's interleaved 8-bit samples in the first {@code width × height × channels} bytes of
 * {@code pixels}, which may be longer: a {@link DecodeScratch}'s buffer, valid until the scratch
 * decodes its next image, or a {@link DecodedImage}'s own array.
 */
record PixelBuffer(int width, int height, int channels, byte[] pixels) {
  PixelBuffer {
    if ((long) width * height * channels > pixels.length) {
      throw new IllegalArgumentException(
          pixels.length + " bytes cannot hold " + width + "x" + height + "x" + channels);
    }
  }
}
