package dev.clipstream.jobs.cli;

import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.DatasetNotFoundException;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import java.io.IOException;

/** Loads Fashion-MNIST for the commands, turning "not found" into a one-line user error. */
final class Datasets {
  private Datasets() {}

  /** The lookup order with the user's directory (if any) first. */
  static DatasetLocator locator(java.nio.file.Path dataDir) {
    return new DatasetLocator(
        java.util.Optional.ofNullable(dataDir), DatasetLocator.defaultCacheDir());
  }

  static LabelledImages load(FashionMnist.Split split, DatasetLocator locator) throws IOException {
    try {
      return FashionMnist.load(split, locator);
    } catch (DatasetNotFoundException e) {
      throw new UserError(e.getMessage());
    }
  }
}
