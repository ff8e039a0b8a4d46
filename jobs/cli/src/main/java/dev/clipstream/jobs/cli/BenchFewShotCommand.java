package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.bench.FewShotBenchmark;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.zeroshot.LabelSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream bench fewshot}: the model trained without Bag and Ankle boot taught those two
 * labels by examples published to the tagging job's examples topic, on the embedded runtime.
 */
@Command(
    name = "fewshot",
    mixinStandardHelpOptions = true,
    description = {
      "Run the tagging job on the model trained without Bag and Ankle boot, publish K examples of",
      "each to its examples topic mid-stream, and measure accuracy on those two labels and the",
      "other eight before and after, and the time from the first example to the first correct tag.",
      "Examples come from the first half of the bundled test split, measured images from the other."
    })
final class BenchFewShotCommand implements Callable<Integer> {

  static final Set<String> TAUGHT = Set.of("Bag", "Ankle boot");

  @Spec CommandSpec spec;

  @Option(
      names = "--shots",
      defaultValue = "16",
      description = "Examples of each of the two labels (default ${DEFAULT-VALUE}).")
  int shots;

  @Option(
      names = "--measured",
      defaultValue = "2000",
      description =
          "Images measured, from the second half of the test split (default ${DEFAULT-VALUE}).")
  int measured;

  @Option(
      names = "--two-only",
      description =
          "Only the two runs that teach Bag and Ankle boot; by default two more teach every label"
              + " K examples (the other eight blended with their prompts).")
  boolean twoOnly;

  @Option(
      names = "--output",
      defaultValue = "target/bench",
      description = "Folder for fewshot.md (default ${DEFAULT-VALUE}).")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (shots < 1 || measured < 1 || measured > 5000) {
      throw new UserError("--shots must be positive and --measured between 1 and 5000");
    }
    PrintWriter out = spec.commandLine().getOut();
    LabelledImages test = Datasets.load(FashionMnist.Split.TEST, Datasets.locator(null));
    List<FewShotBenchmark.Image> examples = examples(test, List.of("Bag", "Ankle boot"));
    // The same two first (the time to the first correct tag is theirs), then the other eight.
    List<FewShotBenchmark.Image> everyLabel = new ArrayList<>(examples);
    everyLabel.addAll(
        examples(test, FashionMnist.CLASSES.stream().filter(c -> !TAUGHT.contains(c)).toList()));
    List<FewShotBenchmark.Image> images = new ArrayList<>();
    for (int i = 5000; i < 5000 + measured; i++) {
      images.add(image(test, i));
    }
    List<String> eight = FashionMnist.CLASSES.stream().filter(c -> !TAUGHT.contains(c)).toList();
    Path weights = Files.createTempFile("clipstream-fewshot-", ".safetensors");
    List<dev.clipstream.jobs.bench.FewShotResult> results = new ArrayList<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      DefaultModel.copyTo(DefaultModel.WITHOUT_BAG_ANKLE_BOOT, weights);
      FewShotBenchmark bench = new FewShotBenchmark(kafka, weights.toString(), 28, TAUGHT, out);
      results.add(
          bench.run(
              "examples alone (labels: the other eight; Bag, Ankle boot only as examples)",
              LabelSet.of("fashion-mnist", 1, eight),
              examples,
              images));
      results.add(
          bench.run(
              "examples + prompts (labels: all ten, text prior 4)",
              LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES),
              examples,
              images));
      if (!twoOnly) {
        results.add(
            bench.run(
                "every label taught; Bag, Ankle boot only as examples (labels: the other eight)",
                LabelSet.of("fashion-mnist", 1, eight),
                everyLabel,
                images));
        results.add(
            bench.run(
                "every label taught, all ten with prompts (text prior 4)",
                LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES),
                everyLabel,
                images));
      }
    } finally {
      Files.deleteIfExists(weights);
    }
    String table = dev.clipstream.jobs.bench.FewShotResult.table(results);
    Files.createDirectories(output);
    Files.writeString(output.resolve("fewshot.md"), table);
    out.println();
    out.print(table);
    out.printf("%nwritten: %s%n", output.resolve("fewshot.md"));
    out.flush();
    return 0;
  }

  /** The first {@code shots} images of each label, from the first half of the test split. */
  private List<FewShotBenchmark.Image> examples(LabelledImages test, List<String> labels)
      throws Exception {
    List<FewShotBenchmark.Image> out = new ArrayList<>();
    for (String label : labels) {
      for (int i = 0, n = 0; i < 5000 && n < shots; i++) {
        if (test.className(i).equals(label)) {
          out.add(image(test, i));
          n++;
        }
      }
    }
    return out;
  }

  private static FewShotBenchmark.Image image(LabelledImages images, int i) throws Exception {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(images.toBufferedImage(i), "png", png);
    return new FewShotBenchmark.Image(png.toByteArray(), images.className(i));
  }
}
