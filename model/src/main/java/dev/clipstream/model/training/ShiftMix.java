package dev.clipstream.model.training;

import java.io.Serializable;

/**
 * How {@link Augmentation#SHIFTS} mixes its pictures: the share that keeps only the mild crop and
 * flip ({@code clean}), and of the rest, the share placed at a random size and position on a larger
 * canvas rather than crop-zoomed ({@code canvas}) and the share inverted ({@code invert}). The
 * other steps (tint, brightness, contrast, blur, noise, JPEG) keep their fixed shares.
 */
public record ShiftMix(double clean, double canvas, double invert) implements Serializable {

  /** The mix the shift runs in docs/default-model.md used unless they say otherwise. */
  public static final ShiftMix DEFAULT = new ShiftMix(0.3, 0.55, 0.2);

  public ShiftMix {
    check("clean share", clean);
    check("canvas share", canvas);
    check("invert share", invert);
  }

  /** The default mix with another clean share. */
  public static ShiftMix withClean(double clean) {
    return new ShiftMix(clean, DEFAULT.canvas, DEFAULT.invert);
  }

  private static void check(String name, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("the " + name + " must be 0 to 1, not " + share);
    }
  }
}
