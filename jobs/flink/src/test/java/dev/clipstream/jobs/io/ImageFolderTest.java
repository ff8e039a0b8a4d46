package dev.clipstream.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clipstream.schemas.ImageEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

  @TempDir Path dir;

  @Test
  void sendsEveryImageAndNamesEveryOtherEntryInOneLineEach() throws IOException {
    copyFixture("formats/coffee-lossless.webp", "coffee.webp");
    copyFixture("formats/coffee.tiff", "coffee.tiff");
    copyFixture("jpeg/astronaut-q90-420.jpg", "astronaut.jpg");
    copyFixture("formats/astronaut-anim.gif", "no-extension");
    Files.writeString(dir.resolve("astronaut.txt"), "an astronaut");
    Files.writeString(dir.resolve("broken.png"), "not really a png");
    Files.writeString(dir.resolve("logo.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    Files.writeString(dir.resolve(".DS_Store"), "finder");
    Files.writeString(dir.resolve("notes.txt"), "no image has this name");
    Files.createDirectory(dir.resolve("more"));

    ImageFolder.Listing listing = ImageFolder.scan(dir);

    assertEquals(
        List.of("astronaut.jpg", "broken.png", "coffee.tiff", "coffee.webp", "no-extension"),
        listing.images().stream().map(p -> p.getFileName().toString()).toList());
    assertEquals(1, listing.captioned());
    assertEquals(
        List.of(
            "not sent (3, not a PNG, JPEG, GIF, BMP, TIFF or WebP image): .DS_Store, logo.svg,"
                + " notes.txt",
            "not sent (1, folders are not read): more/"),
        listing.notSent());
  }

  @Test
  void givesEachEventItsCaptionAndContentType() throws IOException {
    copyFixture("formats/coffee-lossless.webp", "coffee.webp");
    Files.writeString(dir.resolve("coffee.txt"), " a cup of coffee\n");

    ImageEvent event = ImageFolder.event(dir.resolve("coffee.webp"), "test");

    assertEquals("coffee.webp", event.getEventId());
    assertEquals("a cup of coffee", event.getCaption());
    assertEquals("image/webp", event.getContentType());
  }

  private void copyFixture(String fixture, String name) throws IOException {
    try (InputStream in =
        ImageFolderTest.class.getResourceAsStream("/dev/clipstream/model/preprocess/" + fixture)) {
      Files.write(dir.resolve(name), in.readAllBytes());
    }
  }
}
