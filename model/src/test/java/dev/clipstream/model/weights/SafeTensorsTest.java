package dev.clipstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  @TempDir Path dir;

  static byte[] resource(String name) throws IOException {
    try (InputStream in =
        SafeTensorsTest.class.getResourceAsStream("/dev/clipstream/model/reference/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void readsTheReferenceInputsAndOutputs() throws IOException {
    SafeTensorsFile io = SafeTensorsFile.read(resource("io.safetensors"));

    assertArrayEquals(new long[] {6, 3, 32, 32}, io.info("pixel_values").shape());
    assertEquals(DType.I64, io.info("input_ids").dtype());
    long[] ids = io.longs("input_ids");
    assertEquals(24 * 77, ids.length);
    assertEquals(49406L, ids[0], "every reference text starts with the start-of-text token");
    assertEquals(6 * 64, io.floats("image_embeds").length);
  }

  @Test
  void widensTheReferenceF16WeightsToFloat() throws IOException {
    SafeTensorsFile weights = SafeTensorsFile.read(resource("weights.safetensors"));

    TensorInfo conv = weights.info("visual.conv1.weight");
    assertEquals(DType.F16, conv.dtype());
    assertArrayEquals(new long[] {128, 3, 8, 8}, conv.shape());
    float[] values = weights.floats("visual.conv1.weight");
    assertTrue(java.util.Arrays.stream(box(values)).anyMatch(v -> v != 0f));
  }

  @Test
  void roundTripsF32ExactlyAndF16ToTheNearestHalf() throws IOException {
    float[] values = {0f, 1f, -2.5f, 3.14159f, 65504f, 1e-7f};
    Path file = dir.resolve("t.safetensors");
    String sha =
        new SafeTensorsWriter()
            .add("exact", DType.F32, new long[] {2, 3}, values)
            .add("half", DType.F16, new long[] {6}, values)
            .add("ids", new long[] {2}, new long[] {49406, 49407})
            .metadata("step", "12")
            .write(file);

    SafeTensorsFile read = SafeTensorsFile.read(file);
    assertArrayEquals(values, read.floats("exact"));
    float[] half = read.floats("half");
    for (int i = 0; i < values.length; i++) {
      assertEquals(values[i], half[i], Math.abs(values[i]) * 1e-3f + 6e-8f, "element " + i);
    }
    assertArrayEquals(new long[] {49406, 49407}, read.longs("ids"));
    assertEquals("12", read.metadata().get("step"));
    assertEquals(sha, AtomicFiles.sha256(file));
  }

  @Test
  void writesNothingVisibleWhenTheWriterFails() {
    Path file = dir.resolve("torn.safetensors");
    assertThrows(
        IOException.class,
        () ->
            AtomicFiles.write(
                file,
                out -> {
                  out.write(new byte[100]);
                  throw new IOException("disk full");
                }));
    assertTrue(Files.notExists(file));
  }

  @Test
  void refusesATensorWhoseBytesDoNotFitItsShape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new SafeTensorsWriter().add("x", DType.F32, new long[] {4}, new float[4]).writeTo(out);
    byte[] bytes = out.toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 4);

    SafeTensorsFormatException e =
        assertThrows(SafeTensorsFormatException.class, () -> SafeTensorsFile.read(truncated));
    assertTrue(e.getMessage().contains("'x'"), e.getMessage());
  }

  @Test
  void refusesAFileThatIsNotSafetensors() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
    assertThrows(SafeTensorsFormatException.class, () -> SafeTensorsFile.read(png));
  }

  private static Float[] box(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
