package dev.clipstream.model.training;

import dev.clipstream.model.shifts.Picture;
import java.util.Random;

/**
 * Training-time augmentation that covers the shifts of {@link
 * dev.clipstream.model.shifts.ImageShift} with wider, random severities: a geometric change (a
 * crop-zoom, or the item placed at a random size and position on a larger canvas), a flip, then
 * colour and degradation steps each taken with its own probability. A share of images keeps only
 * the mild crop, so the clean pictures the model is also judged on stay common. Every choice comes
 * from the caller's generator: a seed fixes it.
 */
final class ShiftAugmentation {

  static final double TINT = 0.3;
  static final double BRIGHTNESS = 0.25;
  static final double CONTRAST = 0.25;
  static final double BLUR = 0.2;
  static final double NOISE = 0.2;
  static final double JPEG = 0.15;

  private final int resolution;
  private final ShiftMix mix;

  ShiftAugmentation(int resolution, ShiftMix mix) {
    this.resolution = resolution;
    this.mix = mix;
  }

  /** An augmented copy of {@code in} at the training resolution. */
  Picture apply(Picture in, Random random) {
    if (random.nextDouble() < mix.clean()) {
      return flip(cropZoom(in, 0.70, random), random);
    }
    Picture p =
        random.nextDouble() < mix.canvas() ? onCanvas(in, random) : cropZoom(in, 0.40, random);
    p = flip(p, random);
    if (random.nextDouble() < mix.invert()) {
      p = p.inverted();
    }
    if (random.nextDouble() < TINT) {
      p = p.tinted(tint(random));
    }
    if (random.nextDouble() < BRIGHTNESS) {
      float offset = (float) uniform(random, 20, 110);
      p = p.brightened(random.nextBoolean() ? offset : -offset);
    }
    if (random.nextDouble() < CONTRAST) {
      p = p.contrast((float) uniform(random, 0.25, 0.9));
    }
    if (random.nextDouble() < BLUR) {
      p = p.blurred(uniform(random, 0.5, 2.0) * resolution / 28.0);
    }
    if (random.nextDouble() < NOISE) {
      p = p.noisy(uniform(random, 5, 35), random);
    }
    if (random.nextDouble() < JPEG) {
      p = p.jpeg((float) uniform(random, 0.08, 0.5));
    }
    return p;
  }

  /**
   * A random crop of {@code minArea}–100 % of the area (aspect 3:4–4:3) scaled to the resolution:
   * the image enlarged and drawn at a negative offset on a canvas of the resolution.
   */
  private Picture cropZoom(Picture in, double minArea, Random random) {
    double area = uniform(random, minArea, 1.0);
    double aspect = Math.exp(uniform(random, -1, 1) * CaptionedImageSampler.MAX_LOG_ASPECT);
    double w = Math.min(1.0, Math.sqrt(area * aspect));
    double h = Math.min(1.0, Math.sqrt(area / aspect));
    int bigW = (int) Math.round(resolution / w);
    int bigH = (int) Math.round(resolution / h);
    int x = random.nextInt(bigW - resolution + 1);
    int y = random.nextInt(bigH - resolution + 1);
    Picture canvas = Picture.filled(resolution, resolution, in.corner());
    return in.resized(bigW, bigH).placedOn(canvas, -x, -y);
  }

  /**
   * The item at 35–100 % of a canvas 1–2.2 times the resolution (aspect jittered by up to 15 %),
   * anywhere on it, then the canvas scaled to the resolution: smaller, off-centre items.
   */
  private Picture onCanvas(Picture in, Random random) {
    int side = (int) Math.round(resolution * uniform(random, 1.0, 2.2));
    double size = uniform(random, 0.35, 1.0) * side;
    double aspect = uniform(random, 0.85, 1.15);
    int w = Math.max(2, Math.min(side, (int) Math.round(size * aspect)));
    int h = Math.max(2, Math.min(side, (int) Math.round(size / aspect)));
    Picture canvas = Picture.filled(side, side, in.corner());
    Picture placed =
        in.resized(w, h)
            .placedOn(canvas, random.nextInt(side - w + 1), random.nextInt(side - h + 1));
    return placed.resized(resolution, resolution);
  }

  private static Picture flip(Picture p, Random random) {
    return random.nextBoolean() ? p.flipped() : p;
  }

  /** Gains of a colour of random hue and saturation 0.3–1 at full value. */
  private static float[] tint(Random random) {
    java.awt.Color colour =
        java.awt.Color.getHSBColor(random.nextFloat(), (float) uniform(random, 0.3, 1.0), 1f);
    return new float[] {colour.getRed() / 255f, colour.getGreen() / 255f, colour.getBlue() / 255f};
  }

  private static double uniform(Random random, double low, double high) {
    return low + random.nextDouble() * (high - low);
  }
}
