package dev.clipstream.model.preprocess;

/**
 * 8-bit pixels as decoded, interleaved: 1 channel (grey), 3 (RGB) or 4 (RGBA, not premultiplied; or
 * CMYK ink values when {@code cmyk}). {@code indexed} records that the file was palette-based,
 * which changes how PIL resizes it; {@code cmyk} that it is a CMYK image, which PIL resizes as four
 * independent channels and converts to RGB only after the crop, as OpenAI's transform does.
 */
public record DecodedImage(
    int width, int height, int channels, byte[] pixels, boolean indexed, boolean cmyk) {

  public DecodedImage {
    if (channels != 1 && channels != 3 && channels != 4) {
      throw new IllegalArgumentException("channels must be 1, 3 or 4, not " + channels);
    }
    if (cmyk && (channels != 4 || indexed)) {
      throw new IllegalArgumentException("a CMYK image has 4 channels and no palette");
    }
    if ((long) width * height * channels != pixels.length) {
      throw new IllegalArgumentException(
          pixels.length + " bytes are not " + width + "x" + height + "x" + channels);
    }
  }

  /** Grey, RGB or RGBA pixels. */
  public DecodedImage(int width, int height, int channels, byte[] pixels, boolean indexed) {
    this(width, height, channels, pixels, indexed, false);
  }

  /** The value of channel {@code c} at (x, y), 0..255. */
  public int at(int x, int y, int c) {
    return pixels[(y * width + x) * channels + c] & 0xff;
  }

  /** The same pixels as RGB, as Pillow's {@code convert("RGB")} gives them (alpha dropped). */
  public DecodedImage toRgb() {
    if (channels == 3) {
      return this;
    }
    int n = width * height;
    byte[] rgb = new byte[n * 3];
    for (int i = 0; i < n; i++) {
      if (cmyk) {
        CmykJpeg.inkToRgb(pixels, i * 4, rgb, i * 3);
      } else {
        for (int ch = 0; ch < 3; ch++) {
          rgb[i * 3 + ch] = pixels[i * channels + (channels == 1 ? 0 : ch)];
        }
      }
    }
    return new DecodedImage(width, height, 3, rgb, indexed);
  }
}
