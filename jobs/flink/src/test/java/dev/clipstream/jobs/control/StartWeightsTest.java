package dev.clipstream.jobs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.DefaultModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartWeightsTest {

  @TempDir Path dir;

  @Test
  void readsTheImageSizeOfAFileUriWhereTheModelIsLoaded() throws Exception {
    Path weights = dir.resolve("served.safetensors");
    DefaultModel.copyTo(DefaultModel.WEIGHTS, weights);
    String uri = weights.toUri().toString();
    assertTrue(uri.startsWith("file:/"), uri);

    int expected = DefaultModel.manifest().path("config").path("image_resolution").asInt();
    assertEquals(expected, StartWeights.imageSize(uri));
    assertEquals(expected, StartWeights.imageSize(weights.toString()), "a plain path too");
    assertEquals("served.safetensors", StartWeights.version(uri));
    try (StartWeights.Local local = StartWeights.fetch(uri)) {
      assertEquals(weights, local.path(), "a local file is read in place, not copied");
      assertFalse(local.copied());
    }
    assertTrue(Files.exists(weights), "closing the local view leaves the user's file alone");
  }

  @Test
  void namesAMissingFileInOneLine() {
    String uri = dir.resolve("missing.safetensors").toUri().toString();
    IOException e = assertThrows(IOException.class, () -> StartWeights.imageSize(uri));
    assertEquals("model.weights " + uri + ": no such file", e.getMessage());
    IOException folder =
        assertThrows(IOException.class, () -> StartWeights.fetch(dir.toUri().toString()));
    assertEquals("model.weights " + dir.toUri() + ": no such file", folder.getMessage());
  }

  @Test
  void refusesAFileThatIsNotClipWeightsInOneLine() throws Exception {
    Path notWeights = Files.writeString(dir.resolve("notes.safetensors"), "not weights");
    IOException e =
        assertThrows(
            IOException.class, () -> StartWeights.imageSize(notWeights.toUri().toString()));
    assertTrue(e.getMessage().startsWith("model.weights " + notWeights.toUri()), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
