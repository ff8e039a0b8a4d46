package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cli.ClipstreamCliTest.Run;
import dev.clipstream.model.weights.SafeTensorsFile;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model tools on the command line, on real files. */
class ToolCommandsTest {

  @TempDir Path dir;

  @Test
  void tokenizeWritesIdsForEachJsonLine() throws Exception {
    Path in = dir.resolve("texts.jsonl");
    Files.writeString(
        in,
        "{\"text\": \"a bad photo of a black airplane.\"}\n\n{\"text\": \"Red birds, 7174 of them!\"}\n");

    Run run = ClipstreamCliTest.run("tokenize", "--in", in.toString());

    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().strip().split("\n");
    assertEquals(2, lines.length);
    assertTrue(
        lines[0].contains("\"ids\":[49406,320,2103,1125,539,320,1449,16451,269,49407]"), lines[0]);
  }

  @Test
  void tokenizeNamesTheLineThatIsNotJson() throws Exception {
    Path in = dir.resolve("bad.jsonl");
    Files.writeString(in, "{\"text\": \"fine\"}\nnot json\n");

    Run run = ClipstreamCliTest.run("tokenize", "--in", in.toString());

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode());
    assertTrue(run.err().contains("line 2 is not a JSON object"), run.err());
  }

  @Test
  void aCleanTailLongerThanTheRunIsOneLine() throws Exception {
    Run run =
        ClipstreamCliTest.run(
            "train",
            "--steps",
            "10",
            "--clean-tail-steps",
            "11",
            "--out",
            dir.resolve("w").toString());

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode());
    assertEquals(
        "clipstream: --clean-tail-steps must be between 0 and --steps (10): 11",
        run.err().strip(),
        run.err());
  }

  @Test
  void anInvertShareOutsideZeroToOneIsOneLine() throws Exception {
    Run run =
        ClipstreamCliTest.run(
            "train",
            "--augment",
            "shifts",
            "--invert-share",
            "1.5",
            "--out",
            dir.resolve("w").toString());

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode());
    assertEquals(
        "clipstream: --invert-share must be between 0 and 1: 1.5", run.err().strip(), run.err());
  }

  @Test
  void preprocessWritesOneTensorPerImage() throws Exception {
    Path png = dir.resolve("red.png");
    BufferedImage red = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        red.setRGB(x, y, 0xFF0000);
      }
    }
    ImageIO.write(red, "png", png.toFile());
    Path out = dir.resolve("pixels.safetensors");

    Run run =
        ClipstreamCliTest.run(
            "preprocess", "--size", "16", "--out", out.toString(), png.toString());

    assertEquals(0, run.exitCode(), run.err());
    SafeTensorsFile file = SafeTensorsFile.read(out);
    assertArrayEquals(new long[] {3, 16, 16}, file.info("red.png").shape());
    float red0 = file.floats("red.png")[0];
    assertEquals((1f - 0.48145466f) / 0.26862954f, red0, 1e-5);
  }

  @Test
  void preprocessSaysWhichFileIsMissingInOneLine() {
    Run run =
        ClipstreamCliTest.run(
            "preprocess",
            "--out",
            dir.resolve("x.safetensors").toString(),
            dir.resolve("nope.png").toString());

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode());
    assertTrue(run.err().contains("nope.png: no such file"), run.err());
    assertFalse(run.err().contains("\tat "), run.err());
  }

  @Test
  void preprocessRefusesAFileThatIsNotAnImage() throws Exception {
    Path text = dir.resolve("notes.png");
    Files.writeString(text, "this is not a png");

    Run run =
        ClipstreamCliTest.run(
            "preprocess", "--out", dir.resolve("x.safetensors").toString(), text.toString());

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode());
    assertTrue(
        run.err().contains("notes.png: not a PNG, JPEG, GIF, BMP, TIFF or WebP image"), run.err());
  }

  @Test
  void evalReportsAccuracyPerClassAndPlotsTheConfusionMatrixOfTheDefaultModel() throws Exception {
    Path plot = dir.resolve("confusion.png");

    Run run = ClipstreamCliTest.run("eval", "--limit", "300", "--plot", plot.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("zero-shot accuracy"), run.out());
    assertTrue(run.out().contains("Ankle boot"), run.out());
    java.awt.image.BufferedImage png = ImageIO.read(plot.toFile());
    assertTrue(png.getWidth() > 300, "a chart was drawn");
  }

  @Test
  void evalRefusesATemplateWithoutAPlaceholder() {
    Run run = ClipstreamCliTest.run("eval", "--limit", "10", "--templates", "a photo");

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode(), run.err());
    assertTrue(run.err().contains("no {}"), run.err());
  }

  @Test
  void evalReadsAFolderLabelledByACsvWithQuotedCommasAndNamesTheFilesItLeavesOut()
      throws Exception {
    for (String[] f :
        new String[][] {
          {"coffee, hot.webp", "formats/coffee-lossless.webp"},
          {"astronaut.jpg", "jpeg/astronaut-q90-420.jpg"},
          {"camera.jpg", "jpeg/camera-grey.jpg"}
        }) {
      try (java.io.InputStream in =
          ToolCommandsTest.class.getResourceAsStream("/dev/clipstream/model/preprocess/" + f[1])) {
        Files.write(dir.resolve(f[0]), in.readAllBytes());
      }
    }
    Path csv =
        Files.writeString(
            dir.resolve("labels.csv"),
            "file,label\n\"coffee, hot.webp\",\"a drink, hot\"\nastronaut.jpg,a person\n");

    Run run =
        ClipstreamCliTest.run("eval", "--images", dir.toString(), "--labels-file", csv.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("not evaluated (1, not in labels.csv): camera.jpg"), run.out());
    assertTrue(run.out().contains("on 2 images"), run.out());
    assertTrue(run.out().contains("  a drink, hot  "), run.out());
  }
}
