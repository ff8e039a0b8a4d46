package dev.clipstream.model.training;

/**
 * One training batch: {@code size} preprocessed images at {@code resolution} (channel-major, one
 * after another) and their captions, given as distinct caption rows plus, per image, the index of
 * its caption. Images with the same caption index are positives of each other.
 */
public record CaptionedBatch(
    int size, int resolution, float[] pixels, long[][] captionIds, int[] captionOf) {

  public CaptionedBatch {
    if (pixels.length != size * 3 * resolution * resolution || captionOf.length != size) {
      throw new IllegalArgumentException(
          "batch arrays do not fit " + size + " images at " + resolution + " px");
    }
    for (int c : captionOf) {
      if (c < 0 || c >= captionIds.length) {
        throw new IllegalArgumentException(
            "caption index " + c + " outside " + captionIds.length + " captions");
      }
    }
  }
}
