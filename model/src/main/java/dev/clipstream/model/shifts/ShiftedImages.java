package dev.clipstream.model.shifts;

import dev.clipstream.model.data.LabelledSource;
import dev.clipstream.model.preprocess.DecodedImage;

/**
 * A labelled image set seen through one shift: image {@code i} is shifted with a generator seeded
 * from the run's seed, the kind and {@code i}, so each image's copy is fixed whatever the order or
 * subset evaluated.
 */
public record ShiftedImages(LabelledSource source, ImageShift kind, long seed)
    implements LabelledSource {

  @Override
  public int count() {
    return source.count();
  }

  @Override
  public String label(int i) {
    return source.label(i);
  }

  @Override
  public DecodedImage pixels(int i) {
    return kind.apply(source.pixels(i), seedOf(i));
  }

  /** The seed of image {@code i}'s copy: distinct per run seed, kind and image. */
  long seedOf(int i) {
    return ImageShift.mix(seed * 0x9E3779B97F4A7C15L + kind.ordinal()) + i;
  }
}
