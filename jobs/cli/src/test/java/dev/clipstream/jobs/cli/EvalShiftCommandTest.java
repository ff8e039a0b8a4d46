package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cli.ClipstreamCliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval --shift} on the default model and the bundled test images. */
class EvalShiftCommandTest {

  @TempDir Path dir;

  @Test
  void anUnknownShiftIsOneLineNamingTheKinds() {
    Run run = ClipstreamCliTest.run("eval", "--limit", "10", "--shift", "noise,fog");

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode(), run.err());
    assertEquals(
        "clipstream: --shift: unknown shift 'fog'; the kinds are"
            + " offcentre,scale,tint,invert,noise,blur,contrast,brightness,jpeg,large",
        run.err().strip());
  }

  @Test
  void theTableHoldsCleanAccuracyEachShiftAndTheirAverage() throws Exception {
    Path csv = dir.resolve("robustness.csv");
    Path png = dir.resolve("robustness.png");
    Run plain = ClipstreamCliTest.run("eval", "--limit", "200");
    Matcher m =
        Pattern.compile("zero-shot accuracy (\\d\\.\\d{4}) on 200 images").matcher(plain.out());
    assertTrue(m.find(), plain.out());

    Run run =
        ClipstreamCliTest.run(
            "eval",
            "--limit",
            "200",
            "--shift",
            "invert,noise",
            "--shift-csv",
            csv.toString(),
            "--shift-plot",
            png.toString());

    assertEquals(0, run.exitCode(), run.err());
    Map<String, Double> table = ShiftTable.read(csv);
    assertEquals(
        List.of("clean", "invert", "noise", "average over shifts"), List.copyOf(table.keySet()));
    assertEquals(Double.parseDouble(m.group(1)), table.get("clean"), 1e-9, "clean is plain eval");
    assertEquals(
        (table.get("invert") + table.get("noise")) / 2, table.get("average over shifts"), 1e-4);
    // the same 200 images, shifted: a different accuracy shows the shift reached the model
    assertNotEquals(table.get("clean"), table.get("invert"), "inverted: " + table);
    assertTrue(Files.readString(csv).contains("200"), "the image count is in the table");
    assertTrue(run.out().contains("robustness of default model on 200 images"), run.out());
    assertTrue(ImageIO.read(png.toFile()).getWidth() >= 1000, "a chart was drawn");
  }

  @Test
  void aBaselineIsShownRowByRowAndItsAverageOnlyOverTheSameKinds() throws Exception {
    Path baseline = dir.resolve("old.csv");
    Files.writeString(
        baseline,
        "shift,images,accuracy\nclean,9,0.5000\ninvert,9,0.2500\nnoise,9,0.7500\n"
            + "average over shifts,9,0.5000\n");

    Run same =
        ClipstreamCliTest.run(
            "eval",
            "--limit",
            "20",
            "--shift",
            "invert,noise",
            "--shift-baseline",
            baseline.toString(),
            "--shift-baseline-name",
            "old");
    Run fewer =
        ClipstreamCliTest.run(
            "eval", "--limit", "20", "--shift", "invert", "--shift-baseline", baseline.toString());

    assertEquals(0, same.exitCode(), same.err());
    assertTrue(
        same.out().matches("(?s).*\\ninvert +\\d\\.\\d{4} +0\\.2500 +[-+]\\d\\.\\d{4}\\n.*"),
        same.out());
    assertTrue(
        same.out().matches("(?s).*\\naverage over shifts +\\d\\.\\d{4} +0\\.5000 .*"), same.out());
    assertEquals(0, fewer.exitCode(), fewer.err());
    assertTrue(
        fewer.out().matches("(?s).*\\naverage over shifts +\\d\\.\\d{4} +- +-\\n.*"), fewer.out());
  }
}
