package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cli.ClipstreamCliTest.Run;
import java.net.ServerSocket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's first command, end to end: broker, MiniCluster, default model, real images. */
class DemoCommandITCase {

  @Test
  void streamsImagesThroughThePipelineAndAccountsForEveryOne() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    Run run =
        ClipstreamCliTest.run(
            "demo", "--events", "200", "--ui-port", Integer.toString(port), "--page-port", "0");

    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(
        run.out().contains("200 events in, 200 results + 0 dead letters out (all accounted for)"),
        run.out());
    Matcher accuracy = Pattern.compile("zero-shot accuracy (0\\.\\d+)").matcher(run.out());
    assertTrue(accuracy.find(), run.out());
    assertTrue(Double.parseDouble(accuracy.group(1)) > 0.8, run.out());
    assertTrue(run.out().contains("Flink web UI  http://127.0.0.1:" + port), run.out());
    assertTrue(
        Pattern.compile("page          http://127\\.0\\.0\\.1:\\d+/ ").matcher(run.out()).find(),
        run.out());
  }

  @Test
  void streamsAFolderOfTheUsersImagesWithTheirLabelsAndNamesWhatItDoesNotSend(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    for (int i = 0; i < 2; i++) {
      javax.imageio.ImageIO.write(
          new java.awt.image.BufferedImage(30, 30, java.awt.image.BufferedImage.TYPE_INT_RGB),
          "png",
          dir.resolve("photo" + i + ".png").toFile());
    }
    java.nio.file.Files.writeString(dir.resolve("photo0.txt"), "a dark photo");
    java.nio.file.Files.writeString(dir.resolve("broken.png"), "not really a png");
    for (String fixture : new String[] {"coffee-lossless.webp", "coffee.tiff"}) {
      try (java.io.InputStream in =
          DemoCommandITCase.class.getResourceAsStream(
              "/dev/clipstream/model/preprocess/formats/" + fixture)) {
        java.nio.file.Files.write(dir.resolve(fixture), in.readAllBytes());
      }
    }
    java.nio.file.Files.writeString(dir.resolve("logo.svg"), "<svg/>");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    Run run =
        ClipstreamCliTest.run(
            "demo",
            "--input",
            dir.toString(),
            "--labels",
            "a cup of coffee,a dark square",
            "--templates",
            "a photo of {}.",
            "--ui-port",
            Integer.toString(port),
            "--page-port",
            "0",
            "--output-format",
            "json"); // the page and the demo's count read JSON results as well as Avro

    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(
        run.out().contains("5 events in, 4 results + 1 dead letters out (all accounted for)"),
        run.out());
    assertTrue(
        run.out().contains("not sent (1, not a PNG, JPEG, GIF, BMP, TIFF or WebP image): logo.svg"),
        run.out());
    assertTrue(run.out().contains("labels        a cup of coffee, a dark square"), run.out());
    assertTrue(run.out().contains("no true labels"), run.out());
  }
}
