package dev.clipstream.model.data;

import dev.clipstream.model.preprocess.DecodeOutcome;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.ImageDecoder;
import dev.clipstream.model.preprocess.PreprocessOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A labelled image folder: one subfolder per label (its name is the label), PNG, JPEG, GIF, BMP,
 * TIFF or WebP files inside. Read whole into memory: it is a guard set of a few hundred images, not
 * a dataset.
 */
public final class LabelledFolder implements LabelledSource {

  static final Set<String> EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp");

  private final List<String> classes;
  private final List<String> labels;
  private final List<DecodedImage> images;

  private LabelledFolder(List<String> classes, List<String> labels, List<DecodedImage> images) {
    this.classes = classes;
    this.labels = labels;
    this.images = images;
  }

  /**
   * Reads {@code dir}.
   *
   * @throws IOException naming the file when one does not decode, or when there are no labels
   */
  public static LabelledFolder read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": not a directory");
    }
    ImageDecoder decoder =
        new ImageDecoder(PreprocessOptions.DEFAULT_MAX_PIXELS, PreprocessOptions.DEFAULT_MAX_BYTES);
    List<String> classes = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<DecodedImage> images = new ArrayList<>();
    List<Path> folders;
    try (Stream<Path> entries = Files.list(dir)) {
      folders = entries.filter(Files::isDirectory).sorted().toList();
    }
    for (Path folder : folders) {
      String label = folder.getFileName().toString();
      List<Path> files;
      try (Stream<Path> entries = Files.list(folder)) {
        files = entries.filter(LabelledFolder::isImage).sorted().toList();
      }
      if (files.isEmpty()) {
        continue;
      }
      classes.add(label);
      for (Path file : files) {
        DecodeOutcome outcome = decoder.decode(Files.readAllBytes(file));
        if (outcome instanceof DecodeOutcome.Decoded decoded) {
          labels.add(label);
          images.add(decoded.image());
        } else {
          throw new IOException(file + ": " + outcome);
        }
      }
    }
    if (classes.size() < 2) {
      throw new IOException(dir + ": a guard set needs two or more label folders with images");
    }
    return new LabelledFolder(List.copyOf(classes), labels, images);
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return Files.isRegularFile(file) && dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
  }

  /** The label names, one per subfolder with images, in name order. */
  public List<String> classes() {
    return classes;
  }

  @Override
  public int count() {
    return images.size();
  }

  @Override
  public String label(int i) {
    return labels.get(i);
  }

  @Override
  public DecodedImage pixels(int i) {
    return images.get(i);
  }
}
