package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipstream.jobs.cli.ClipstreamCliTest.Run;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model commands against the reference CLIP (model/src/test/resources, shared as a test jar).
 */
class ModelCommandsTest {

  @TempDir static Path dir;
  static Path weights;
  static Path torchscript;
  static Path io;

  @BeforeAll
  static void copyFixtures() throws Exception {
    weights = copy("weights.safetensors");
    torchscript = copy("model.torchscript.pt");
    io = copy("io.safetensors");
    copy("weights.manifest.json");
  }

  static Path copy(String name) throws Exception {
    Path target = dir.resolve(name);
    try (InputStream in =
        ModelCommandsTest.class.getResourceAsStream("/dev/clipstream/model/reference/" + name)) {
      Files.copy(in, target);
    }
    return target;
  }

  @Test
  void verifyPassesOnTheReferenceWeightsAtBatchOneAndSix() {
    Run run =
        ClipstreamCliTest.run(
            "model", "verify", "--weights", weights.toString(), "--reference", io.toString());

    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("batch 1: image_embeds"), run.out());
    assertTrue(run.out().contains("batch 6: image_embeds"), run.out());
    Matcher errors = Pattern.compile("(\\d\\.\\d+e-\\d+)").matcher(run.out());
    int found = 0;
    while (errors.find()) {
      assertTrue(Double.parseDouble(errors.group(1)) <= 1e-4, run.out());
      found++;
    }
    assertEquals(6, found, run.out());
  }

  @Test
  void verifyPassesOnTheTorchScriptArchiveOnlyWhenAllowed() {
    Run refused =
        ClipstreamCliTest.run(
            "model", "verify", "--weights", torchscript.toString(), "--reference", io.toString());
    assertEquals(ClipstreamCli.EXIT_USAGE, refused.exitCode(), refused.out() + refused.err());
    assertTrue(refused.err().contains("TorchScript"), refused.err());

    Run allowed =
        ClipstreamCliTest.run(
            "model",
            "verify",
            "--allow-torchscript",
            "--weights",
            torchscript.toString(),
            "--reference",
            io.toString());
    assertEquals(0, allowed.exitCode(), allowed.out() + allowed.err());
    assertTrue(allowed.err().contains("warning"), allowed.err());
  }

  @Test
  void verifyFailsWhenTheWeightsAreNotTheReferences() throws Exception {
    // The same shapes with one tensor's bytes flipped are a different model.
    byte[] bytes = Files.readAllBytes(weights);
    for (int i = bytes.length - 4000; i < bytes.length; i += 2) {
      bytes[i] ^= 0x01;
    }
    Path tampered = dir.resolve("tampered.safetensors");
    Files.write(tampered, bytes);

    Run run =
        ClipstreamCliTest.run(
            "model",
            "verify",
            "--weights",
            tampered.toString(),
            "--activation",
            "quick_gelu",
            "--reference",
            io.toString());

    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("NOT verified"), run.out());
  }

  @Test
  void aFileThatIsNotWeightsIsOneLine() throws Exception {
    Path junk = dir.resolve("junk.safetensors");
    Files.writeString(junk, "hello");

    Run run =
        ClipstreamCliTest.run(
            "model", "verify", "--weights", junk.toString(), "--reference", io.toString());

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode(), run.err());
    assertFalse(run.err().contains("\tat "), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
  }

  @Test
  void embedPrintsUnitLengthEmbeddings() throws Exception {
    Path png = dir.resolve("grey.png");
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(40, 40, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
        "png",
        png.toFile());

    Run run =
        ClipstreamCliTest.run(
            "embed",
            "--weights",
            weights.toString(),
            "--image",
            png.toString(),
            "--text",
            "a photo of a cat.");

    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().strip().split("\n");
    assertEquals(2, lines.length);
    for (String line : lines) {
      JsonNode row = new ObjectMapper().readTree(line);
      double sum = 0;
      for (JsonNode v : row.get("embedding")) {
        sum += v.asDouble() * v.asDouble();
      }
      assertEquals(64, row.get("embedding").size());
      assertEquals(1.0, sum, 1e-4);
    }
  }

  @Test
  void benchEncoderPrintsTokenizerAndEncoderRates() {
    Run run =
        ClipstreamCliTest.run(
            "bench",
            "encoder",
            "--weights",
            weights.toString(),
            "--iterations",
            "2",
            "--skip-vit-b32");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("texts/s"), run.out());
    assertTrue(run.out().matches("(?s).*decode \\+ preprocess: [0-9.]+ images/s.*"), run.out());
    assertTrue(run.out().contains("weights.safetensors image"), run.out());
    assertTrue(run.out().contains("weights.safetensors text"), run.out());
  }
}
