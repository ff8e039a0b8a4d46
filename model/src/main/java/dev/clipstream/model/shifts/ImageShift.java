package dev.clipstream.model.shifts;

import dev.clipstream.model.preprocess.DecodedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One kind of distribution shift a stream sends that clean, centred 28 px test images do not: each
 * turns an image into a shifted copy, its random choices (position, colour, noise) drawn from the
 * given generator so that a seed fixes the copy. The severities are fixed here so that every model
 * is measured on the same shifted images.
 */
public enum ImageShift {
  /** The image at its size on a canvas twice as wide and high, well away from the centre. */
  OFFCENTRE("offcentre") {
    @Override
    Picture shift(Picture in, Random random) {
      int w = in.width();
      int h = in.height();
      Picture canvas = Picture.filled(2 * w, 2 * h, in.corner());
      return in.placedOn(canvas, edgeward(w, random), edgeward(h, random));
    }
  },
  /** Shrunk to 45–70 % or enlarged to 130–160 % on a canvas of the original size, centred. */
  SCALE("scale") {
    @Override
    Picture shift(Picture in, Random random) {
      double factor =
          random.nextBoolean() ? uniform(random, 0.45, 0.70) : uniform(random, 1.3, 1.6);
      int w = Math.max(1, (int) Math.round(in.width() * factor));
      int h = Math.max(1, (int) Math.round(in.height() * factor));
      Picture canvas = Picture.filled(in.width(), in.height(), in.corner());
      return in.resized(w, h).placedOn(canvas, (in.width() - w) / 2, (in.height() - h) / 2);
    }
  },
  /** Each channel scaled by a saturated colour of random hue: grey becomes shades of it. */
  TINT("tint") {
    @Override
    Picture shift(Picture in, Random random) {
      return in.tinted(tint(random, uniform(random, 0.6, 0.9)));
    }
  },
  /** A negative: 255 − v. */
  INVERT("invert") {
    @Override
    Picture shift(Picture in, Random random) {
      return in.inverted();
    }
  },
  /** Gaussian noise of standard deviation 25 (of 255) on every channel. */
  NOISE("noise") {
    @Override
    Picture shift(Picture in, Random random) {
      return in.noisy(25, random);
    }
  },
  /** A Gaussian blur of 1.5 pixels at 28 px (scaled with the image side). */
  BLUR("blur") {
    @Override
    Picture shift(Picture in, Random random) {
      return in.blurred(1.5 * Math.min(in.width(), in.height()) / 28.0);
    }
  },
  /** Contrast cut to 30–40 % around the image's mean. */
  CONTRAST("contrast") {
    @Override
    Picture shift(Picture in, Random random) {
      return in.contrast((float) uniform(random, 0.30, 0.40));
    }
  },
  /** Brightened or darkened by 70–100 levels (of 255), clamped. */
  BRIGHTNESS("brightness") {
    @Override
    Picture shift(Picture in, Random random) {
      float offset = (float) uniform(random, 70, 100);
      return in.brightened(random.nextBoolean() ? offset : -offset);
    }
  },
  /** Re-encoded as JPEG at quality 10–20 %. */
  JPEG("jpeg") {
    @Override
    Picture shift(Picture in, Random random) {
      return in.jpeg((float) uniform(random, 0.10, 0.20));
    }
  },
  /** Upscaled to a larger picture, its shorter side 112–224 px. */
  LARGE("large") {
    @Override
    Picture shift(Picture in, Random random) {
      int side = 112 + random.nextInt(224 - 112 + 1);
      double factor = (double) side / Math.min(in.width(), in.height());
      return in.resized(
          (int) Math.round(in.width() * factor), (int) Math.round(in.height() * factor));
    }
  };

  private final String id;

  ImageShift(String id) {
    this.id = id;
  }

  /** The name on the command line and in tables. */
  public String id() {
    return id;
  }

  abstract Picture shift(Picture in, Random random);

  /** The shifted copy of {@code image}, as 8-bit RGB. */
  public DecodedImage apply(DecodedImage image, Random random) {
    return shift(Picture.of(image), random).toDecoded();
  }

  /**
   * The shifted copy of {@code image} for {@code seed}: the same seed, the same copy. The seed is
   * mixed first because {@link Random}'s first draws for nearby seeds are alike (seeds 7, 8, 9, ...
   * would all pick the same branch).
   */
  public DecodedImage apply(DecodedImage image, long seed) {
    return apply(image, new Random(mix(seed)));
  }

  /** SplitMix64's finaliser: nearby inputs give unrelated outputs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The kinds named in {@code ids} (case-insensitive), in order. */
  public static List<ImageShift> parse(List<String> ids) {
    List<ImageShift> out = new ArrayList<>();
    for (String raw : ids) {
      String wanted = raw.strip().toLowerCase(Locale.ROOT);
      ImageShift kind =
          Arrays.stream(values())
              .filter(k -> k.id.equals(wanted))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown shift '" + raw + "'; the kinds are " + String.join(",", ids())));
      if (!out.contains(kind)) {
        out.add(kind);
      }
    }
    return List.copyOf(out);
  }

  /** Every kind's name, in order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(ImageShift::id).toList();
  }

  /** A corner-ward offset on a canvas twice {@code side}: within an eighth of either edge. */
  private static int edgeward(int side, Random random) {
    int margin = Math.max(1, side / 4);
    int offset = random.nextInt(margin + 1);
    return random.nextBoolean() ? offset : side - offset;
  }

  static double uniform(Random random, double low, double high) {
    return low + random.nextDouble() * (high - low);
  }

  /** Gains of a colour of random hue at {@code saturation} and full value (HSV). */
  static float[] tint(Random random, double saturation) {
    java.awt.Color colour = java.awt.Color.getHSBColor(random.nextFloat(), (float) saturation, 1f);
    return new float[] {colour.getRed() / 255f, colour.getGreen() / 255f, colour.getBlue() / 255f};
  }
}
