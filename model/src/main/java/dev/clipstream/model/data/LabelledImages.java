package dev.clipstream.model.data;

import java.awt.image.BufferedImage;
import java.util.List;

/** Greyscale images of one size with an integer label each, and the names of the labels. */
public record LabelledImages(
    int count, int height, int width, byte[] pixels, int[] labels, List<String> classes)
    implements LabelledSource {

  /** Checks that the arrays fit the declared sizes. */
  public LabelledImages {
    if (pixels.length != count * height * width || labels.length != count) {
      throw new IllegalArgumentException(
          "pixels/labels do not fit " + count + " images of " + height + "x" + width);
    }
  }

  /** The label name of image {@code i}. */
  public String className(int i) {
    return classes.get(labels[i]);
  }

  @Override
  public String label(int i) {
    return className(i);
  }

  @Override
  public dev.clipstream.model.preprocess.DecodedImage pixels(int i) {
    return new dev.clipstream.model.preprocess.DecodedImage(width, height, 1, image(i), false);
  }

  /** Image {@code i} as 8-bit grey pixels, row-major. */
  public byte[] image(int i) {
    byte[] out = new byte[height * width];
    System.arraycopy(pixels, i * height * width, out, 0, out.length);
    return out;
  }

  /** Image {@code i} as a greyscale {@link BufferedImage} (for PNG encoding). */
  public BufferedImage toBufferedImage(int i) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, width, height, image(i));
    return image;
  }

  /** The first {@code n} images. */
  public LabelledImages head(int n) {
    return range(0, Math.min(n, count));
  }

  /** Images {@code from} (inclusive) to {@code to} (exclusive), e.g. to split a set in two. */
  public LabelledImages range(int from, int to) {
    if (from < 0 || to > count || from > to) {
      throw new IllegalArgumentException(
          "images " + from + " to " + to + " are not within 0 to " + count);
    }
    int k = to - from;
    byte[] p = new byte[k * height * width];
    System.arraycopy(pixels, from * height * width, p, 0, p.length);
    int[] l = new int[k];
    System.arraycopy(labels, from, l, 0, k);
    return new LabelledImages(k, height, width, p, l, classes);
  }
}
