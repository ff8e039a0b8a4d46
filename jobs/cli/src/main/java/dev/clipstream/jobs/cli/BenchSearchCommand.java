package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.bench.SearchBenchmark;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream bench search}: the search index on Fashion-MNIST's embeddings. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Encode Fashion-MNIST with the default model, index it, and measure recall@10 against exact",
      "search, query latency, ingest rate and text-to-image precision@10 per class."
    })
final class BenchSearchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--with-train",
      description =
          "Add the 60,000 training images (when the training split is found) to the 10,000 test images.")
  boolean withTrain;

  @Option(
      names = "--data-dir",
      description =
          "Where the Fashion-MNIST files are (default: bundled test split, Debian's package).")
  Path dataDir;

  @Option(
      names = "--queries",
      defaultValue = "1000",
      description = "Image queries (default ${DEFAULT-VALUE}).")
  int queries;

  @Option(
      names = "--candidates",
      split = ",",
      defaultValue = "10,50,100,200",
      description = "HNSW candidate counts to measure (default ${DEFAULT-VALUE}).")
  int[] candidates;

  @Option(
      names = "--output",
      defaultValue = "target/bench",
      description = "Folder for search.md (default ${DEFAULT-VALUE}).")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (queries < 1) {
      throw new UserError("--queries must be positive");
    }
    DatasetLocator locator = Datasets.locator(dataDir);
    LabelledImages images = Datasets.load(FashionMnist.Split.TEST, locator);
    if (withTrain) {
      images = concat(Datasets.load(FashionMnist.Split.TRAIN, locator), images);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path index = Files.createTempDirectory("clipstream-search-bench-");
    String report;
    try (ClipModel model = DefaultModel.load()) {
      report =
          new SearchBenchmark(model, DefaultModel.version(), images, out)
              .run(index, queries, candidates);
    } finally {
      deleteTree(index);
      deleteTree(index.resolveSibling(index.getFileName() + "-warm-up"));
    }
    Files.createDirectories(output);
    Files.writeString(output.resolve("search.md"), report);
    out.println();
    out.print(report);
    out.printf("%nwritten: %s%n", output.resolve("search.md"));
    out.flush();
    return 0;
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static LabelledImages concat(LabelledImages a, LabelledImages b) {
    byte[] pixels = new byte[a.pixels().length + b.pixels().length];
    System.arraycopy(a.pixels(), 0, pixels, 0, a.pixels().length);
    System.arraycopy(b.pixels(), 0, pixels, a.pixels().length, b.pixels().length);
    int[] labels = new int[a.count() + b.count()];
    System.arraycopy(a.labels(), 0, labels, 0, a.count());
    System.arraycopy(b.labels(), 0, labels, a.count(), b.count());
    return new LabelledImages(
        a.count() + b.count(), a.height(), a.width(), pixels, labels, a.classes());
  }
}
