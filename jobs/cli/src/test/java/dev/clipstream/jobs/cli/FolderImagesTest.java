package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderImagesTest {

  @TempDir Path dir;

  @BeforeEach
  void images() throws IOException {
    for (String name : new String[] {"coffee, hot.webp", "astronaut.jpg", "camera.jpg"}) {
      String fixture =
          name.endsWith("webp")
              ? "formats/coffee-lossless.webp"
              : "jpeg/" + (name.startsWith("a") ? "astronaut-q90-420.jpg" : "camera-grey.jpg");
      try (InputStream in =
          FolderImagesTest.class.getResourceAsStream(
              "/dev/clipstream/model/preprocess/" + fixture)) {
        Files.write(dir.resolve(name), in.readAllBytes());
      }
    }
  }

  @Test
  void readsQuotedFieldsWithCommasAndNamesTheFilesItDoesNotList() throws IOException {
    Path csv =
        Files.writeString(
            dir.resolve("labels.csv"),
            "file,label,notes\n"
                + "\"coffee, hot.webp\",\"a drink, hot\",from a cafe\n"
                + "# a comment line\n"
                + "\n"
                + "astronaut.jpg,\"a person, in a \"\"space\"\" suit\",\n");

    FolderImages folder = FolderImages.read(dir, csv);

    assertEquals(List.of("coffee, hot.webp", "astronaut.jpg"), folder.files());
    assertEquals(List.of("a drink, hot", "a person, in a \"space\" suit"), folder.labels());
    assertEquals(List.of("camera.jpg"), folder.notListed());
    assertEquals(400, folder.pixels(0).height());
  }

  @Test
  void findsTheColumnsByTheirHeaderNamesInAnyOrder() throws IOException {
    Path csv = Files.writeString(dir.resolve("l.csv"), "Label,File\ngrey,camera.jpg\n");

    FolderImages folder = FolderImages.read(dir, csv);

    assertEquals(List.of("camera.jpg"), folder.files());
    assertEquals(List.of("grey"), folder.labels());
  }

  @Test
  void saysInOneLineWhatIsWrongWithTheCsv() throws IOException {
    assertMessage("name,class\ncamera.jpg,grey\n", "must name a 'file' and a 'label' column");
    assertMessage("file,label\n\"camera.jpg,grey\n", "not valid CSV");
    assertMessage("file,label\nmissing.jpg,grey\n", "row 1: no file");
    assertMessage("file,label\ncamera.jpg\n", "row 1: needs a file and a label");
  }

  private void assertMessage(String content, String expected) throws IOException {
    Path csv = Files.writeString(dir.resolve("bad.csv"), content);
    UserError e = assertThrows(UserError.class, () -> FolderImages.read(dir, csv));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
