package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

class CmykJpegTest {

  final ImageDecoder decoder = new ImageDecoder(1_000_000, 1 << 20);

  @Test
  void convertsAdobeCmykAsPillowDoes() throws IOException {
    // Stored (inverted) C, M, Y, K = 30, 200, 220, 250: ink 225, 55, 35, 5. Pillow's cmyk2rgb:
    // nk = 250; R = 250 - muldiv255(225, 250) = 29, G = 250 - 54 = 196, B = 250 - 34 = 216.
    DecodedImage cmyk = decode(fourChannelJpeg(new int[] {30, 200, 220, 250}, 0));
    DecodedImage rgb = cmyk.toRgb();

    assertTrue(cmyk.cmyk());
    assertEquals(3, rgb.channels());
    assertPixel(rgb, 29, 196, 216);
  }

  @Test
  void convertsYcckThroughLibjpegsYccToRgbFirst() throws IOException {
    // Y, Cb, Cr = 128, 128, 128 is RGB grey 128, stored as CMY 127; K stored 250 (nk = 250):
    // ink 128 each, 250 - muldiv255(128, 250) = 125.
    DecodedImage rgb =
        decode(fourChannelJpeg(new int[] {128, 128, 128, 250}, CmykJpeg.ADOBE_YCCK)).toRgb();

    assertPixel(rgb, 125, 125, 125);
  }

  @Test
  void aCutShortCmykJpegIsCorruptNotGrey() throws IOException {
    byte[] jpeg = fourChannelJpeg(new int[] {30, 200, 220, 250}, 0);
    DecodeOutcome outcome = decoder.decode(java.util.Arrays.copyOf(jpeg, jpeg.length * 6 / 10));

    assertTrue(outcome instanceof DecodeOutcome.Rejected, outcome.toString());
    assertEquals(DecodeOutcome.Reason.CORRUPT, ((DecodeOutcome.Rejected) outcome).reason());
  }

  private DecodedImage decode(byte[] jpeg) {
    DecodeOutcome outcome = decoder.decode(jpeg);
    assertTrue(outcome instanceof DecodeOutcome.Decoded, outcome.toString());
    return ((DecodeOutcome.Decoded) outcome).image();
  }

  /** JPEG is lossy, but a uniform block keeps its value to within one step. */
  private static void assertPixel(DecodedImage image, int r, int g, int b) {
    for (int y = 0; y < image.height(); y += 7) {
      for (int x = 0; x < image.width(); x += 7) {
        assertEquals(r, image.at(x, y, 0), 1, "R at " + x + "," + y);
        assertEquals(g, image.at(x, y, 1), 1, "G at " + x + "," + y);
        assertEquals(b, image.at(x, y, 2), 1, "B at " + x + "," + y);
      }
    }
  }

  /** A uniform 4-channel JPEG with an Adobe APP14 segment carrying {@code transform}. */
  static byte[] fourChannelJpeg(int[] samples, int transform) throws IOException {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 24, 24, 4, null);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 24; x++) {
        raster.setPixel(x, y, samples);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(raster, null, null), null);
    } finally {
      writer.dispose();
    }
    byte[] jpeg = out.toByteArray();
    byte[] adobe = {
      (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform
    };
    byte[] result = new byte[jpeg.length + adobe.length];
    System.arraycopy(jpeg, 0, result, 0, 2);
    System.arraycopy(adobe, 0, result, 2, adobe.length);
    System.arraycopy(jpeg, 2, result, 2 + adobe.length, jpeg.length - 2);
    return result;
  }
}
