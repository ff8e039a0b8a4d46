package dev.clipstream.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guard set as a user lays it out: a folder per label, images inside. */
class LabelledFolderTest {

  @TempDir Path dir;

  void image(String label, String name, int rgb) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(label));
    BufferedImage image = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, rgb);
    ImageIO.write(image, name.endsWith(".png") ? "png" : "jpg", folder.resolve(name).toFile());
  }

  @Test
  void readsOneLabelPerFolderInNameOrderAndSkipsOtherFiles() throws IOException {
    image("cat", "a.png", 0xff0000);
    image("cat", "b.jpg", 0x00ff00);
    image("dog", "c.png", 0x0000ff);
    Files.writeString(dir.resolve("dog").resolve("notes.txt"), "not an image");
    Files.createDirectories(dir.resolve("empty"));

    LabelledFolder folder = LabelledFolder.read(dir);

    assertEquals(List.of("cat", "dog"), folder.classes());
    assertEquals(3, folder.count());
    assertEquals("dog", folder.label(2));
    assertEquals(6, folder.pixels(0).width());
    assertEquals(255, folder.pixels(0).at(0, 0, 0), "the red pixel, decoded");
  }

  @Test
  void namesTheFileThatDoesNotDecode() throws IOException {
    image("cat", "a.png", 0);
    image("dog", "b.png", 0);
    Files.write(dir.resolve("dog").resolve("broken.png"), new byte[] {1, 2, 3});

    IOException e = assertThrows(IOException.class, () -> LabelledFolder.read(dir));
    assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
  }

  @Test
  void needsTwoLabels() throws IOException {
    image("cat", "a.png", 0);

    assertThrows(IOException.class, () -> LabelledFolder.read(dir));
  }
}
