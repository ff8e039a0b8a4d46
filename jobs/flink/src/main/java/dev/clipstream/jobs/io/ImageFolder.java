package dev.clipstream.jobs.io;

import dev.clipstream.model.preprocess.ImageDecoder;
import dev.clipstream.schemas.ImageEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files of a folder as events, sorted by name: every file that starts like an image clipstream
 * reads or is named like one (a broken {@code photo.png} is sent, and becomes a dead letter with
 * its reason), with the caption from a sidecar {@code name.txt} when there is one and the event id
 * from the file name. Nothing is skipped silently: {@link Listing#notSent} names the rest.
 */
public final class ImageFolder {

  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "png", "image/png",
          "jpg", "image/jpeg",
          "jpeg", "image/jpeg",
          "gif", "image/gif",
          "bmp", "image/bmp",
          "tif", "image/tiff",
          "tiff", "image/tiff",
          "webp", "image/webp");

  private static final String UNKNOWN_TYPE = "application/octet-stream";

  private ImageFolder() {}

  /**
   * What a folder holds: the files sent as events, how many have a caption, and the entries not
   * sent (sidecar captions aside), each kind with its reason.
   */
  public record Listing(
      List<Path> images, int captioned, List<String> notImages, List<String> folders) {

    /** One line per kind of entry not sent, for the user to read; empty when all were sent. */
    public List<String> notSent() {
      List<String> lines = new ArrayList<>();
      if (!notImages.isEmpty()) {
        lines.add(
            "not sent ("
                + notImages.size()
                + ", not a "
                + ImageDecoder.FORMATS
                + " image): "
                + String.join(", ", notImages));
      }
      if (!folders.isEmpty()) {
        lines.add(
            "not sent ("
                + folders.size()
                + ", folders are not read): "
                + String.join(", ", folders));
      }
      return lines;
    }
  }

  /** Sorts the entries of {@code dir} into images to send and the rest. */
  public static Listing scan(Path dir) throws IOException {
    List<Path> entries;
    try (Stream<Path> files = Files.list(dir)) {
      entries = files.sorted().toList();
    }
    List<Path> images = new ArrayList<>();
    List<Path> others = new ArrayList<>();
    List<String> folders = new ArrayList<>();
    for (Path p : entries) {
      if (Files.isDirectory(p)) {
        folders.add(p.getFileName() + "/");
      } else if (CONTENT_TYPES.containsKey(extension(p)) || startsLikeAnImage(p)) {
        images.add(p);
      } else {
        others.add(p);
      }
    }
    Set<Path> captions = new HashSet<>();
    for (Path image : images) {
      Path sidecar = sidecar(image);
      if (Files.isRegularFile(sidecar)) {
        captions.add(sidecar);
      }
    }
    List<String> notImages =
        others.stream()
            .filter(p -> !captions.contains(p))
            .map(p -> p.getFileName().toString())
            .toList();
    return new Listing(List.copyOf(images), captions.size(), notImages, List.copyOf(folders));
  }

  /** The event for one image file. */
  public static ImageEvent event(Path image, String source) throws IOException {
    Path sidecar = sidecar(image);
    String caption =
        Files.isRegularFile(sidecar)
            ? Files.readString(sidecar, StandardCharsets.UTF_8).strip()
            : null;
    return ImageEvent.newBuilder()
        .setEventId(image.getFileName().toString())
        .setEventTime(Instant.now())
        .setSource(source)
        .setImage(ByteBuffer.wrap(Files.readAllBytes(image)))
        .setContentType(CONTENT_TYPES.getOrDefault(extension(image), UNKNOWN_TYPE))
        .setCaption(caption == null || caption.isEmpty() ? null : caption)
        .build();
  }

  private static boolean startsLikeAnImage(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return ImageDecoder.isReadableFormat(in.readNBytes(ImageDecoder.SIGNATURE_BYTES));
    }
  }

  private static Path sidecar(Path image) {
    return image.resolveSibling(stem(image) + ".txt");
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
