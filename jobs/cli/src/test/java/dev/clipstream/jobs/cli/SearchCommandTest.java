package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cli.ClipstreamCliTest.Run;
import dev.clipstream.jobs.index.DirectIndexWriter;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.TagResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clipstream search} and {@code index stats} on an index of 100 Fashion-MNIST test images
 * embedded by the default model; bad queries and bad indexes give one-line errors.
 */
class SearchCommandTest {
  static final int IMAGES = 100;

  @TempDir static Path dir;
  static Path index;
  static LabelledImages images;

  @BeforeAll
  static void indexImages() throws Exception {
    images =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), dir))
            .head(IMAGES);
    index = dir.resolve("index");
    try (ClipModel model = DefaultModel.load();
        DirectIndexWriter writer = new DirectIndexWriter(index)) {
      for (int i = 0; i < IMAGES; i++) {
        float[] e = QueryEmbedder.image(model, png(i));
        List<Float> boxed = new ArrayList<>();
        for (float v : e) {
          boxed.add(v);
        }
        writer.upsert(
            TagResult.newBuilder()
                .setEventId("fm-" + i)
                .setEventTime(Instant.ofEpochMilli(1_000L * i))
                .setProcessingTime(Instant.now())
                .setModelVersion(DefaultModel.version())
                .setImageEmbedding(boxed)
                .setLabels(List.of(new LabelScore(images.className(i), 1f)))
                .setLabelSet("truth")
                .setLabelSetVersion(1)
                .build());
      }
      writer.publish();
    }
  }

  static Path png(int i) throws Exception {
    Path file = dir.resolve("fm-" + i + ".png");
    if (!Files.exists(file)) {
      ImageIO.write(images.toBufferedImage(i), "png", file.toFile());
    }
    return file;
  }

  @Test
  void textSearchFindsMostlyTheNamedClass() {
    Run run =
        ClipstreamCliTest.run(
            "search", "--index", index.toString(), "--text", "a photo of a trouser.");
    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().strip().split("\n");
    assertEquals(10, lines.length, run.out());
    int trousers = 0;
    for (String line : lines) {
      trousers += line.split("\t")[2].startsWith("Trouser:") ? 1 : 0;
    }
    assertTrue(trousers >= 6, "trousers in the top 10: " + trousers + "\n" + run.out());
  }

  @Test
  void imageSearchFindsTheImageItselfFirst() throws Exception {
    Run run =
        ClipstreamCliTest.run(
            "search", "--index", index.toString(), "--image", png(7).toString(), "--k", "3");
    assertEquals(0, run.exitCode(), run.err());
    String[] first = run.out().strip().split("\n")[0].split("\t");
    assertEquals("fm-7", first[0]);
    assertEquals(1.0, Double.parseDouble(first[1]), 1e-3);
    assertTrue(first[3].startsWith(DefaultModel.version()), first[3]);
  }

  @Test
  void filtersByTopLabelAndTime() {
    Run run =
        ClipstreamCliTest.run(
            "search",
            "--index",
            index.toString(),
            "--text",
            "a photo of a bag.",
            "--label",
            "Sneaker",
            "--since",
            Instant.ofEpochMilli(50_000).toString());
    assertEquals(0, run.exitCode(), run.err());
    for (String line : run.out().strip().split("\n")) {
      String[] f = line.split("\t");
      assertTrue(f[2].startsWith("Sneaker:"), line);
      assertTrue(!Instant.parse(f[4]).isBefore(Instant.ofEpochMilli(50_000)), line);
    }
  }

  @Test
  void statsCountDocumentsPerModelVersion() {
    Run run = ClipstreamCliTest.run("index", "stats", "--index", index.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains(IMAGES + " documents, " + IMAGES + " events"), run.out());
    assertTrue(run.out().contains("model " + DefaultModel.version() + ": " + IMAGES), run.out());
  }

  @Test
  void badQueriesGetOneLineErrors() throws Exception {
    Path notAnImage = dir.resolve("noise.png");
    Files.write(notAnImage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Map<String, String[]> cases =
        Map.of(
            "empty", new String[] {"--text", "  "},
            "k must be between 1 and 1000, not 0", new String[] {"--text", "bag", "--k", "0"},
            "k must be between 1 and 1000, not 10000",
                new String[] {"--text", "bag", "--k", "10000"},
            "noise.png", new String[] {"--image", notAnImage.toString()},
            "holds no vectors of model other",
                new String[] {"--text", "bag", "--model-version", "other"},
            "--since yesterday", new String[] {"--text", "bag", "--since", "yesterday"});
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      List<String> args = new ArrayList<>(List.of("search", "--index", index.toString()));
      args.addAll(List.of(c.getValue()));
      assertOneLineError(ClipstreamCliTest.run(args.toArray(String[]::new)), c.getKey());
    }
  }

  @Test
  void aMissingIndexIsOneLine() {
    assertOneLineError(
        ClipstreamCliTest.run(
            "search", "--index", dir.resolve("nowhere").toString(), "--text", "bag"),
        "no index at");
    assertOneLineError(
        ClipstreamCliTest.run("index", "stats", "--index", dir.resolve("nowhere").toString()),
        "no index at");
  }

  @Test
  void anIndexOfANewerFormatIsRefusedInOneLine() throws Exception {
    Path newer = dir.resolve("newer");
    Files.createDirectories(newer.resolve("lucene"));
    try (FSDirectory d = FSDirectory.open(newer.resolve("lucene"));
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
      w.setLiveCommitData(
          Map.of("clipstream.index.format", "2", "clipstream.index.sequence", "1").entrySet());
      w.commit();
    }
    Files.writeString(newer.resolve("visible-commit"), "1");
    assertOneLineError(
        ClipstreamCliTest.run("index", "stats", "--index", newer.toString()),
        "written by a newer clipstream");
  }

  private static void assertOneLineError(Run run, String expected) {
    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode(), run.out() + run.err());
    assertEquals(1, run.err().strip().split("\n").length, run.err());
    assertTrue(run.err().contains(expected), expected + " in: " + run.err());
  }
}
