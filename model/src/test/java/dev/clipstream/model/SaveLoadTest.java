package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipstream.model.weights.AtomicFiles;
import dev.clipstream.model.weights.DType;
import dev.clipstream.model.weights.SafeTensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved weights load back as they were, beside a manifest that identifies them. */
class SaveLoadTest {

  /** Half precision keeps 11 significant bits: relative rounding error at most 2^-11. */
  private static final double HALF_RELATIVE_ERROR = 0x1p-11;

  /** Below F16's smallest normal number the error is absolute: half its subnormal spacing. */
  private static final double HALF_ABSOLUTE_ERROR = 0x1p-25;

  private static ClipModel model;

  @TempDir Path dir;

  @BeforeAll
  static void initialise() throws IOException {
    ClipConfig config = ClipConfig.inferFrom(ClipConfigTest.referenceShapes());
    // Random values, unlike the reference's F16 ones, are not all representable in half precision.
    model = ClipModel.initialise(config, 11);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void roundTripsFloat32Exactly() throws IOException {
    Path file = dir.resolve("model.safetensors");
    model.save(file, Map.of("step", "0"));

    try (ClipModel loaded = ClipModel.load(file, LoadOptions.defaults())) {
      assertEquals(model.config(), loaded.config());
      model
          .parameters()
          .forEach(
              (name, parameter) ->
                  assertArrayEquals(
                      parameter.getArray().toFloatArray(),
                      loaded.parameters().get(name).getArray().toFloatArray(),
                      name));
    }
  }

  @Test
  void roundTripsFloat16WithinHalfPrecision() throws IOException {
    Path file = dir.resolve("model-f16.safetensors");
    model.save(file, DType.F16, Map.of());

    assertEquals(DType.F16, SafeTensorsFile.read(file).info("visual.proj").dtype());
    try (ClipModel loaded = ClipModel.load(file, LoadOptions.defaults())) {
      model
          .parameters()
          .forEach(
              (name, parameter) -> {
                float[] saved = parameter.getArray().toFloatArray();
                float[] read = loaded.parameters().get(name).getArray().toFloatArray();
                for (int i = 0; i < saved.length; i++) {
                  double bound =
                      Math.max(Math.abs(saved[i]) * HALF_RELATIVE_ERROR, HALF_ABSOLUTE_ERROR);
                  assertEquals(saved[i], read[i], bound, name + "[" + i + "]");
                }
              });
    }
  }

  @Test
  void writesAManifestWhoseChecksumMatchesTheFile() throws IOException {
    Path file = dir.resolve("checkpoint-42.safetensors");
    Instant before = Instant.now().minusSeconds(1);

    WeightsInfo info = model.save(file, Map.of("step", "42", "source", "unit-test"));

    assertEquals(dir.resolve("checkpoint-42.manifest.json"), info.manifest());
    JsonNode manifest = new ObjectMapper().readTree(info.manifest().toFile());
    assertEquals(AtomicFiles.sha256(file), manifest.get("sha256").asText());
    assertEquals(info.sha256(), manifest.get("sha256").asText());
    assertEquals("checkpoint-42.safetensors", manifest.get("weights").asText());
    assertEquals("F32", manifest.get("dtype").asText());
    assertEquals("42", manifest.get("step").asText());
    assertEquals("unit-test", manifest.get("source").asText());
    assertEquals(
        model.config(), new ObjectMapper().treeToValue(manifest.get("config"), ClipConfig.class));
    assertTrue(Instant.parse(manifest.get("created").asText()).isAfter(before));
    assertEquals(info.parameterCount(), manifest.get("parameters").asLong());
  }

  @Test
  void refusesManifestFieldsThatWouldOverwriteItsOwnKeys() {
    Path file = dir.resolve("bad.safetensors");
    assertThrows(
        IllegalArgumentException.class, () -> model.save(file, Map.of("sha256", "forged")));
    assertTrue(Files.notExists(file), "nothing is written when the manifest would be wrong");
  }
}
