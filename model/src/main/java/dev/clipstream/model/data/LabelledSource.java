package dev.clipstream.model.data;

import dev.clipstream.model.preprocess.DecodedImage;

/** Images with a true label each, as an evaluation reads them. */
public interface LabelledSource {
  int count();

  /** The true label name of image {@code i}. */
  String label(int i);

  /** Image {@code i}'s pixels. */
  DecodedImage pixels(int i);
}
