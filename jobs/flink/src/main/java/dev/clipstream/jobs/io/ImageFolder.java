package dev.clipstream.jobs.io;

import dev.clipstream.schemas.ImageEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The image files of a folder as events: one per PNG, JPEG, GIF or BMP file (sorted by name), the
 * caption from a sidecar {@code name.txt} when there is one, the event id from the file name.
 */
public final class ImageFolder {

  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "png",
          "image/png",
          "jpg",
          "image/jpeg",
          "jpeg",
          "image/jpeg",
          "gif",
          "image/gif",
          "bmp",
          "image/bmp");

  private ImageFolder() {}

  /** The image files of {@code dir}, sorted. */
  public static List<Path> images(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> Files.isRegularFile(p) && CONTENT_TYPES.containsKey(extension(p)))
          .sorted()
          .toList();
    }
  }

  /** The event for one image file. */
  public static ImageEvent event(Path image, String source) throws IOException {
    Path sidecar = image.resolveSibling(stem(image) + ".txt");
    String caption =
        Files.isRegularFile(sidecar)
            ? Files.readString(sidecar, StandardCharsets.UTF_8).strip()
            : null;
    return ImageEvent.newBuilder()
        .setEventId(image.getFileName().toString())
        .setEventTime(Instant.now())
        .setSource(source)
        .setImage(ByteBuffer.wrap(Files.readAllBytes(image)))
        .setContentType(CONTENT_TYPES.get(extension(image)))
        .setCaption(caption == null || caption.isEmpty() ? null : caption)
        .build();
  }

  private static String extension(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static String stem(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
