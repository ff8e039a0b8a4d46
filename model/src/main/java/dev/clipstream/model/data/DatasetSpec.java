package dev.clipstream.model.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a dataset's files may be found: an optional system directory (a distribution package), an
 * optional copy bundled on the class path, and the publisher's download address; {@link
 * DatasetLocator} tries them in order.
 */
public record DatasetSpec(
    String name,
    List<DatasetFile> files,
    Optional<Path> systemDir,
    Optional<String> bundledResourceDir,
    Optional<URI> downloadBase,
    String installHint) {

  /** The file spec of one name. */
  public DatasetFile file(String fileName) {
    return files.stream()
        .filter(f -> f.name().equals(fileName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(name + " has no file " + fileName));
  }
}
