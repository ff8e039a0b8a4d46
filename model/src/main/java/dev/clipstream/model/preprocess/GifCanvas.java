package dev.clipstream.model.preprocess;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * A GIF's first frame as Pillow opens it: the size of the logical screen, the frame drawn at its
 * offset, and the rest filled with palette index 0, or with the frame's transparent index when it
 * has one (Pillow 9.4's {@code GifImageFile.load_prepare}; checked with Debian's python3-pil
 * 9.4.0). ImageIO's {@code read(0)} returns the frame alone, at its own size.
 */
final class GifCanvas {

  private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";
  private static final String IMAGE_FORMAT = "javax_imageio_gif_image_1.0";

  private GifCanvas() {}

  /** The logical screen's size, or the first frame's where the stream does not say. */
  static Dimension screen(ImageReader gif) throws IOException {
    Node lsd = child(tree(gif.getStreamMetadata(), STREAM_FORMAT), "LogicalScreenDescriptor");
    int w = intAttribute(lsd, "logicalScreenWidth", 0);
    int h = intAttribute(lsd, "logicalScreenHeight", 0);
    return new Dimension(Math.max(w, 1), Math.max(h, 1));
  }

  /** The first frame placed on a canvas of {@code screen}'s size, as Pillow holds it. */
  static BufferedImage firstFrame(ImageReader gif, BufferedImage frame, Dimension screen)
      throws IOException {
    Node image = tree(gif.getImageMetadata(0), IMAGE_FORMAT);
    Node descriptor = child(image, "ImageDescriptor");
    int left = intAttribute(descriptor, "imageLeftPosition", 0);
    int top = intAttribute(descriptor, "imageTopPosition", 0);
    boolean fits =
        left == 0
            && top == 0
            && frame.getWidth() == screen.width
            && frame.getHeight() == screen.height;
    if (fits || !(frame.getColorModel() instanceof IndexColorModel palette)) {
      return frame;
    }
    Node gce = child(image, "GraphicControlExtension");
    int fill =
        gce != null && "TRUE".equals(attribute(gce, "transparentColorFlag"))
            ? intAttribute(gce, "transparentColorIndex", 0)
            : 0;
    BufferedImage canvas =
        new BufferedImage(screen.width, screen.height, BufferedImage.TYPE_BYTE_INDEXED, palette);
    WritableRaster raster = canvas.getRaster();
    int[] row = new int[screen.width];
    Arrays.fill(row, fill);
    for (int y = 0; y < screen.height; y++) {
      raster.setSamples(0, y, screen.width, 1, 0, row);
    }
    // A frame reaching past the screen is cut at its edge, as Pillow's paste of the tile is.
    int w = Math.min(frame.getWidth(), screen.width - left);
    int h = Math.min(frame.getHeight(), screen.height - top);
    if (w > 0 && h > 0) {
      raster.setRect(left, top, frame.getRaster().createChild(0, 0, w, h, 0, 0, null));
    }
    return canvas;
  }

  private static Node tree(IIOMetadata metadata, String format) {
    return metadata == null ? null : metadata.getAsTree(format);
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
    Node a = node == null ? null : node.getAttributes().getNamedItem(name);
    return a == null ? null : a.getNodeValue();
  }

  private static int intAttribute(Node node, String name, int otherwise) {
    String v = attribute(node, name);
    return v == null ? otherwise : Integer.parseInt(v);
  }
}
