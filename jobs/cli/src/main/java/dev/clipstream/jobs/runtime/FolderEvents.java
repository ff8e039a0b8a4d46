package dev.clipstream.jobs.runtime;

import dev.clipstream.jobs.io.ImageFolder;
import dev.clipstream.schemas.ImageEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The user's own images for the demo (captions from sidecar .txt files), with no known labels. */
public final class FolderEvents implements DemoEvents {
  private final List<Path> images;

  public FolderEvents(List<Path> images) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no image files");
    }
    this.images = List.copyOf(images);
  }

  /** How many files there are. */
  public int size() {
    return images.size();
  }

  @Override
  public ImageEvent event(long n) {
    Path image = images.get((int) (n % images.size()));
    try {
      ImageEvent event = ImageFolder.event(image, "clipstream-demo");
      event.setEventId(image.getFileName() + "-" + n);
      return event;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<String> label(long n) {
    return Optional.empty();
  }
}
