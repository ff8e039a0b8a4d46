package dev.clipstream.model.preprocess;

/**
 * 8-bit pixels as decoded, interleaved: 1 channel (grey), 3 (RGB) or 4 (RGBA, not premultiplied).
 * {@code indexed} records that the file was palette-based, which changes how PIL resizes it.
 */
public record DecodedImage(int width, int height, int channels, byte[] pixels, boolean indexed) {

  public DecodedImage {
    if (channels != 1 && channels != 3 && channels != 4) {
      throw new IllegalArgumentException("channels must be 1, 3 or 4, not " + channels);
    }
    if ((long) width * height * channels != pixels.length) {
      throw new IllegalArgumentException(
          pixels.length + " bytes are not " + width + "x" + height + "x" + channels);
    }
  }

  /** The value of channel {@code c} at (x, y), 0..255. */
  public int at(int x, int y, int c) {
    return pixels[(y * width + x) * channels + c] & 0xff;
  }
}
