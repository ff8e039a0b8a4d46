package dev.clipstream.jobs.cli;

import dev.clipstream.model.training.ShiftMix;
import java.util.Map;
import picocli.CommandLine.Option;

/** The mix of {@code --augment shifts}: clean, canvas and invert shares. */
final class ShiftMixOptions {

  @Option(
      names = "--clean-share",
      defaultValue = "0.3",
      description =
          "With --augment shifts, the share of images in every batch that get only the mild crop"
              + " and flip of --augment crops (default ${DEFAULT-VALUE}).")
  double clean;

  @Option(
      names = "--canvas-share",
      defaultValue = "0.55",
      description =
          "With --augment shifts, the share of the other images placed at a random size and"
              + " position on a larger canvas rather than crop-zoomed (default ${DEFAULT-VALUE}).")
  double canvas;

  @Option(
      names = "--invert-share",
      defaultValue = "0.2",
      description =
          "With --augment shifts, the share of the other images inverted (default"
              + " ${DEFAULT-VALUE}).")
  double invert;

  /** The mix, or a one-line error naming the flag out of range. */
  ShiftMix mix() {
    check("--clean-share", clean);
    check("--canvas-share", canvas);
    check("--invert-share", invert);
    return new ShiftMix(clean, canvas, invert);
  }

  private static void check(String flag, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new UserError(flag + " must be between 0 and 1: " + share);
    }
  }

  /** The manifest's record of the mix. */
  void describe(Map<String, String> manifest) {
    manifest.put("clean_share", Double.toString(clean));
    manifest.put("canvas_share", Double.toString(canvas));
    manifest.put("invert_share", Double.toString(invert));
  }
}
