package dev.clipstream.model.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Zalando's Fashion-MNIST: 28×28 greyscale product photos in ten classes, 60,000 for training and
 * 10,000 for testing (Xiao, Rasul and Vollgraf, 2017; MIT licence). The test split ships with
 * clipstream; the training split comes from Debian's {@code dataset-fashion-mnist} package, a
 * directory the user names, or the publisher's download.
 */
public final class FashionMnist {

  /** The class names in label order, as the dataset's README lists them. */
  public static final List<String> CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The publisher's download address (the dataset's README). */
  public static final URI OFFICIAL_BASE =
      URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

  /** Class-path folder of the bundled test split. */
  static final String BUNDLED = "/dev/clipstream/model/data/fashion-mnist";

  static final String HINT =
      "Install Debian's package (apt-get install dataset-fashion-mnist), or put the four .gz files"
          + " from "
          + OFFICIAL_BASE
          + " in a directory and name it with --data-dir.";

  /** The two published splits, each an images file and a labels file with their MD5s. */
  public enum Split {
    // MD5s: first the publisher's (README of zalandoresearch/fashion-mnist), then that of the
    // decompressed content, which also holds for Debian's recompressed copies.
    TRAIN(
        new DatasetFile(
            "train-images-idx3-ubyte.gz",
            Set.of("8d4fb7e6c68d591d4c3dfef9ec88bf0d", "f4a8712d7a061bf5bd6d2ca38dc4d50a")),
        new DatasetFile(
            "train-labels-idx1-ubyte.gz",
            Set.of("25c81989df183df01b3e8a0aad5dffbe", "9018921c3c673c538a1fc5bad174d6f9"))),
    TEST(
        new DatasetFile(
            "t10k-images-idx3-ubyte.gz",
            Set.of("bef4ecab320f06d8554ea6380940ec79", "8181f5470baa50b63fa0f6fddb340f0a")),
        new DatasetFile(
            "t10k-labels-idx1-ubyte.gz",
            Set.of("bb300cfdad3c16e7a12a480ee83cd310", "15d484375f8d13e6eb1aabb0c3f46965")));

    private final DatasetFile images;
    private final DatasetFile labels;

    Split(DatasetFile images, DatasetFile labels) {
      this.images = images;
      this.labels = labels;
    }

    /** Where this split's two files may be found. */
    public DatasetSpec spec() {
      return new DatasetSpec(
          "fashion-mnist",
          List.of(images, labels),
          Optional.of(DEBIAN_DIR),
          this == TEST ? Optional.of(BUNDLED) : Optional.empty(),
          Optional.of(OFFICIAL_BASE),
          HINT);
    }
  }

  private FashionMnist() {}

  /** Finds, checks and reads one split. */
  public static LabelledImages load(Split split, DatasetLocator locator) throws IOException {
    Path dir = locator.locate(split.spec());
    return read(dir.resolve(split.images.name()), dir.resolve(split.labels.name()));
  }

  /** Reads an images file and a labels file in IDX format (gzip or not). */
  public static LabelledImages read(Path imagesFile, Path labelsFile) throws IOException {
    IdxFile images = readIdx(imagesFile);
    IdxFile labels = readIdx(labelsFile);
    if (images.dimensions().length != 3
        || labels.dimensions().length != 1
        || images.count() != labels.count()) {
      throw new IOException(
          imagesFile.getFileName()
              + " and "
              + labelsFile.getFileName()
              + " are not images and labels of the same items");
    }
    int[] labelInts = new int[labels.count()];
    for (int i = 0; i < labelInts.length; i++) {
      labelInts[i] = labels.data()[i] & 0xff;
      if (labelInts[i] >= CLASSES.size()) {
        throw new IOException(labelsFile.getFileName() + " has label " + labelInts[i] + " at " + i);
      }
    }
    return new LabelledImages(
        images.count(),
        images.dimensions()[1],
        images.dimensions()[2],
        images.data(),
        labelInts,
        CLASSES);
  }

  private static IdxFile readIdx(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in =
            file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      return IdxFile.read(in, file.getFileName().toString());
    }
  }
}
