package dev.clipstream.model.preprocess;

import java.awt.image.Raster;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * Four-channel (CMYK and YCCK) JPEGs converted to RGB as OpenAI's pipeline sees them: libjpeg's
 * YCCK to CMYK, Pillow's reading of JPEG CMYK as inverted ("CMYK;I", Adobe's convention) and
 * Pillow's {@code convert("RGB")} ({@code cmyk2rgb} in libImaging/Convert.c), which OpenAI's
 * transform applies after resizing and cropping the CMYK image. The JDK's own CMYK reading applies
 * an sRGB curve and gives other colours.
 */
final class CmykJpeg {

  /** Not a four-channel JPEG. */
  static final int NOT_CMYK = -1;

  /** Adobe APP14 transform code of YCCK (Adobe Technical Note 5116); 0 is plain CMYK. */
  static final int ADOBE_YCCK = 2;

  private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";

  /** libjpeg's fixed-point colour conversion (jdcolor.c): 16 fraction bits, rounded. */
  private static final int SCALE_BITS = 16;

  private static final int ONE_HALF = 1 << (SCALE_BITS - 1);

  private CmykJpeg() {}

  /**
   * The Adobe transform of a four-channel JPEG (0 when it has no Adobe segment, which libjpeg reads
   * as plain CMYK), or {@link #NOT_CMYK}.
   */
  static int transform(IIOMetadata metadata) {
    if (metadata == null || !JPEG_METADATA.equals(metadata.getNativeMetadataFormatName())) {
      return NOT_CMYK;
    }
    Node markers = child(metadata.getAsTree(JPEG_METADATA), "markerSequence");
    Node sof = child(markers, "sof");
    if (sof == null || !"4".equals(attribute(sof, "numFrameComponents"))) {
      return NOT_CMYK;
    }
    Node adobe = child(markers, "app14Adobe");
    return adobe == null ? 0 : Integer.parseInt(attribute(adobe, "transform"));
  }

  /**
   * Pillow's CMYK pixels (ink values, 255 = full ink) from the raw samples of a four-channel JPEG
   * with Adobe transform {@code t}: Pillow reads JPEG CMYK as inverted ("CMYK;I").
   */
  static DecodedImage toCmyk(Raster raw, int t) {
    int w = raw.getWidth();
    int h = raw.getHeight();
    byte[] out = new byte[w * h * 4];
    int[] row = new int[w * 4];
    int[] stored = new int[3];
    for (int y = 0; y < h; y++) {
      raw.getPixels(raw.getMinX(), raw.getMinY() + y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int p = x * 4;
        if (t == ADOBE_YCCK) {
          yccToInvertedCmy(row[p], row[p + 1], row[p + 2], stored);
        } else {
          stored[0] = row[p];
          stored[1] = row[p + 1];
          stored[2] = row[p + 2];
        }
        int i = (y * w + x) * 4;
        for (int c = 0; c < 3; c++) {
          out[i + c] = (byte) (255 - stored[c]);
        }
        out[i + 3] = (byte) (255 - row[p + 3]);
      }
    }
    return new DecodedImage(w, h, 4, out, false, true);
  }

  /** Pillow's {@code cmyk2rgb} (libImaging/Convert.c) for the pixel at {@code in[i..i+3]}. */
  static void inkToRgb(byte[] in, int i, byte[] out, int o) {
    int nk = 255 - (in[i + 3] & 0xff);
    for (int c = 0; c < 3; c++) {
      out[o + c] = (byte) clip8(nk - mulDiv255(in[i + c] & 0xff, nk));
    }
  }

  /** libjpeg's ycck_cmyk_convert for the first three channels: 255 - RGB of the YCC triple. */
  private static void yccToInvertedCmy(int yy, int cb, int cr, int[] out) {
    int x = cr - 128;
    int z = cb - 128;
    int r = yy + ((fix(1.40200) * x + ONE_HALF) >> SCALE_BITS);
    int g = yy + ((-fix(0.34414) * z + ONE_HALF - fix(0.71414) * x) >> SCALE_BITS);
    int b = yy + ((fix(1.77200) * z + ONE_HALF) >> SCALE_BITS);
    out[0] = 255 - clip8(r);
    out[1] = 255 - clip8(g);
    out[2] = 255 - clip8(b);
  }

  private static int fix(double v) {
    return (int) (v * (1L << SCALE_BITS) + 0.5);
  }

  /** Pillow's MULDIV255: a * b / 255, rounded, in integers. */
  private static int mulDiv255(int a, int b) {
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
  }

  private static int clip8(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static Node child(Node parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (name.equals(n.getNodeName())) {
        return n;
      }
    }
    return null;
  }

  private static String attribute(Node node, String name) {
    Node a = node.getAttributes().getNamedItem(name);
    return a == null ? null : a.getNodeValue();
  }
}
