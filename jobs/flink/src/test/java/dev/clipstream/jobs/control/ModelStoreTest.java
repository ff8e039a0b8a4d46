package dev.clipstream.jobs.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.schemas.ModelUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model update may only name a file inside the store, with the bytes it announced. */
class ModelStoreTest {

  @TempDir Path root;
  @TempDir Path elsewhere;

  static ModelUpdate update(String location, String sha) {
    return ModelUpdate.newBuilder()
        .setModelVersion("v")
        .setTrainingStep(1)
        .setCheckpointUri(location)
        .setWeightsSha256(sha)
        .setCreatedTime(Instant.now())
        .build();
  }

  @Test
  void fetchesAFileInsideTheStoreWhenItsDigestMatches() throws IOException {
    Path file = Files.write(root.resolve("w.safetensors"), new byte[] {1, 2, 3});
    ModelStore store = new ModelStore(root.toString());

    Path local = store.fetchVerified(update("w.safetensors", ModelStore.sha256Of(file)));

    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(local));
    Files.delete(local);
    Path absolute = store.fetchVerified(update(file.toString(), ModelStore.sha256Of(file)));
    Files.delete(absolute);
  }

  @Test
  void refusesABytePlaceChangedSinceTheAnnouncement() throws IOException {
    Path file = Files.write(root.resolve("w.safetensors"), new byte[] {1, 2, 3});
    String sha = ModelStore.sha256Of(file);
    Files.write(file, new byte[] {1, 2, 4});

    IOException e =
        assertThrows(
            IOException.class,
            () -> new ModelStore(root.toString()).fetchVerified(update("w.safetensors", sha)));
    assertTrue(e.getMessage().contains("the update says " + sha), e.getMessage());
  }

  @Test
  void refusesPathsThatLeaveTheStore() throws IOException {
    Path outside = Files.write(elsewhere.resolve("x.safetensors"), new byte[] {1});
    String sha = ModelStore.sha256Of(outside);
    Files.createSymbolicLink(root.resolve("link.safetensors"), outside);
    ModelStore store = new ModelStore(root.toString());

    for (String location :
        new String[] {
          outside.toString(),
          "../" + elsewhere.getFileName() + "/x.safetensors",
          "sub/../../" + elsewhere.getFileName() + "/x.safetensors",
          outside.toUri().toString(),
          "link.safetensors",
          ""
        }) {
      IOException e =
          assertThrows(
              IOException.class, () -> store.fetchVerified(update(location, sha)), location);
      assertTrue(e.getMessage().contains("outside the model store"), e.getMessage());
    }
  }

  @Test
  void saysWhenTheFileIsMissing() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new ModelStore(root.toString())
                    .fetchVerified(update("gone.safetensors", "0".repeat(64))));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void anUnconfiguredStoreHoldsNothing() {
    assertFalse(new ModelStore("").isConfigured());
    assertThrows(IllegalStateException.class, () -> new ModelStore(" ").rootUri());
  }
}
