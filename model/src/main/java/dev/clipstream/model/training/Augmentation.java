package dev.clipstream.model.training;

/** How training images are varied before they are shown to the model. */
public enum Augmentation {
  /** As they are. */
  NONE,
  /** Mild random resized crops (70–100 % of the area) and horizontal flips: the first default. */
  CROPS,
  /**
   * {@link ShiftAugmentation}: placement and scale on larger canvases, tints and inversions,
   * brightness and contrast, blur, noise and JPEG re-encoding, as streams send them.
   */
  SHIFTS
}
