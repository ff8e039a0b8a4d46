package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cli.ClipstreamCliTest.Run;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model verify} and {@code model convert} on every model family and checkpoint layout: the
 * ModifiedResNet (safetensors and TorchScript), the exact-GELU ViT, the Hugging Face folder, and
 * each converted file against the same reference (files from model/src/test/resources).
 */
class ModelFamiliesCommandsTest {

  @TempDir static Path dir;

  @BeforeAll
  static void copyFixtures() throws Exception {
    for (String name :
        List.of("config.json", "io.safetensors", "weights.safetensors", "model.torchscript.pt")) {
      copy("reference-resnet", name, "resnet");
    }
    for (String name : List.of("config.json", "io.safetensors", "weights.safetensors")) {
      copy("reference-gelu", name, "gelu");
    }
    copy("reference-hf", "config.json", "hf");
    copy("reference-hf", "model.safetensors", "hf");
    copy("reference", "io.safetensors", "hf-io");
  }

  static void copy(String folder, String name, String into) throws Exception {
    Path target = Files.createDirectories(dir.resolve(into)).resolve(name);
    try (InputStream in =
        ModelFamiliesCommandsTest.class.getResourceAsStream(
            "/dev/clipstream/model/" + folder + "/" + name)) {
      Files.copy(in, target);
    }
  }

  static Path at(String into, String name) {
    return dir.resolve(into).resolve(name);
  }

  /** Runs verify and asserts it passed with all six errors within 1e-4. */
  static void assertVerifies(Path reference, String... weightsArgs) {
    List<String> args = new ArrayList<>(List.of("model", "verify"));
    args.addAll(List.of(weightsArgs));
    args.addAll(List.of("--reference", reference.toString()));
    Run run = ClipstreamCliTest.run(args.toArray(String[]::new));

    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("verified: matches the reference"), run.out());
    Matcher errors = Pattern.compile("(\\d\\.\\d+e-\\d+)").matcher(run.out());
    int found = 0;
    while (errors.find()) {
      assertTrue(Double.parseDouble(errors.group(1)) <= 1e-4, run.out());
      found++;
    }
    assertEquals(6, found, "three outputs at batch 1 and 6: " + run.out());
  }

  @Test
  void verifiesTheResNetFromSafetensorsWithItsConfig() {
    assertVerifies(
        at("resnet", "io.safetensors"),
        "--weights",
        at("resnet", "weights.safetensors").toString(),
        "--config",
        at("resnet", "config.json").toString());
  }

  @Test
  void verifiesTheResNetFromItsTorchScriptArchive() {
    assertVerifies(
        at("resnet", "io.safetensors"),
        "--allow-torchscript",
        "--weights",
        at("resnet", "model.torchscript.pt").toString());
  }

  @Test
  void verifiesTheGeluModelWithItsConfigAndRefusesItWithoutOne() {
    assertVerifies(
        at("gelu", "io.safetensors"),
        "--weights",
        at("gelu", "weights.safetensors").toString(),
        "--config",
        at("gelu", "config.json").toString());

    Run bare =
        ClipstreamCliTest.run(
            "model",
            "verify",
            "--weights",
            at("gelu", "weights.safetensors").toString(),
            "--reference",
            at("gelu", "io.safetensors").toString());
    assertEquals(ClipstreamCli.EXIT_USAGE, bare.exitCode(), bare.out() + bare.err());
    assertTrue(bare.err().contains("--activation quick_gelu|gelu"), bare.err());
    assertEquals(1, bare.err().strip().lines().count(), bare.err());
  }

  @Test
  void verifiesTheHuggingFaceFolder() {
    assertVerifies(at("hf-io", "io.safetensors"), "--weights", dir.resolve("hf").toString());
  }

  @Test
  void convertRoundTripsEachLayoutToFilesThatVerifyWithoutFlags() throws Exception {
    Path fromPt = dir.resolve("converted/resnet.safetensors");
    Path fromHf = dir.resolve("converted/hf.safetensors");
    Path fromOpenClip = dir.resolve("converted/gelu.safetensors");
    Files.createDirectories(fromPt.getParent());

    Run pt =
        ClipstreamCliTest.run(
            "model",
            "convert",
            "--from",
            "openai-pt",
            at("resnet", "model.torchscript.pt").toString(),
            "--out",
            fromPt.toString());
    Run hf =
        ClipstreamCliTest.run(
            "model",
            "convert",
            "--from",
            "hf",
            dir.resolve("hf").toString(),
            "--out",
            fromHf.toString());
    Run openClip =
        ClipstreamCliTest.run(
            "model",
            "convert",
            "--from",
            "open-clip",
            at("gelu", "weights.safetensors").toString(),
            "--config",
            at("gelu", "config.json").toString(),
            "--out",
            fromOpenClip.toString());

    for (Run run : List.of(pt, hf, openClip)) {
      assertEquals(0, run.exitCode(), run.out() + run.err());
      assertTrue(run.out().contains("sha256 "), run.out());
    }
    String manifest = Files.readString(dir.resolve("converted/gelu.manifest.json"));
    assertTrue(manifest.contains("\"activation\" : \"gelu\""), manifest);
    assertTrue(manifest.contains("\"source\" : \"open-clip "), manifest);
    assertVerifies(at("resnet", "io.safetensors"), "--weights", fromPt.toString());
    assertVerifies(at("hf-io", "io.safetensors"), "--weights", fromHf.toString());
    assertVerifies(at("gelu", "io.safetensors"), "--weights", fromOpenClip.toString());
  }

  @Test
  void convertRefusesALayoutOtherThanTheOneNamed() {
    Run run =
        ClipstreamCliTest.run(
            "model",
            "convert",
            "--from",
            "hf",
            at("resnet", "model.torchscript.pt").toString(),
            "--out",
            dir.resolve("wrong.safetensors").toString());

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains("pass --from openai-pt"), run.err());
    assertFalse(Files.exists(dir.resolve("wrong.safetensors")));
  }

  @Test
  void infoSaysTheDeviceAndPrecision() {
    Run run = ClipstreamCliTest.run("info", "--device", "cpu", "--precision", "bfloat16");

    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("device cpu -> cpu, precision bfloat16"), run.out());
  }
}
