package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

/** Samples are copied as stored, whatever colour space the reader labels them with. */
class ImagePixelsTest {

  @Test
  void keepsTheStoredValuesOfAnImageInAnotherColourSpace() {
    BufferedImage linear = image(ColorSpace.CS_LINEAR_RGB, 3, 100);

    DecodedImage stored = ImagePixels.of(linear, false);
    DecodedImage managed = ImagePixels.of(linear, true);

    assertEquals(100, stored.at(1, 1, 0));
    // Linear 100/255 is sRGB ≈ 170/255: converting is the option, not the default.
    assertEquals(170, managed.at(1, 1, 0), 2);
  }

  @Test
  void readsLinearGreyAsStoredNotThroughTheSrgbCurve() {
    DecodedImage grey = ImagePixels.of(image(ColorSpace.CS_GRAY, 1, 100), false);

    assertEquals(1, grey.channels());
    assertEquals(100, grey.at(0, 0, 0));
  }

  @Test
  void expandsGreyWithAlphaToRgbaWithTheGreyRepeated() {
    BufferedImage la = image(ColorSpace.CS_GRAY, 2, 60);

    DecodedImage rgba = ImagePixels.of(la, false);

    assertEquals(4, rgba.channels());
    assertEquals(60, rgba.at(2, 1, 0));
    assertEquals(60, rgba.at(2, 1, 2));
    assertEquals(60, rgba.at(2, 1, 3));
  }

  @Test
  void keepsTheHighByteOf16BitRgbAsPillowDoes() throws java.io.IOException {
    // Pillow 9.4 (Debian's python3-pil) reads this PNG's (511, 33023, 65000) as (1, 128, 253):
    // its "RGB;16B" unpacker keeps the most significant byte; rounding would give 2 for 511.
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(2, 2);
    for (int i = 0; i < 4; i++) {
      raster.setPixel(i % 2, i / 2, new int[] {511, 33023, 65000});
    }
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(new BufferedImage(cm, raster, false, null), "png", png);

    DecodedImage rgb = PillowDecodeTest.decode(png.toByteArray());

    assertEquals(1, rgb.at(1, 1, 0));
    assertEquals(128, rgb.at(1, 1, 1));
    assertEquals(253, rgb.at(1, 1, 2));
  }

  /** A 3×3 8-bit image in colour space {@code cs} with every sample {@code value}. */
  private static BufferedImage image(int cs, int bands, int value) {
    boolean alpha = bands == 2 || bands == 4;
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(cs),
            alpha,
            false,
            alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster = cm.createCompatibleWritableRaster(3, 3);
    int[] samples = new int[9 * bands];
    java.util.Arrays.fill(samples, value);
    raster.setPixels(0, 0, 3, 3, samples);
    return new BufferedImage(cm, raster, false, null);
  }
}
