package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.bench.BenchmarkSuite;
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
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream bench}: in one run, on the default model and Fashion-MNIST images, the bare
 * encoders, decoding, the pipeline on the embedded runtime and the training side, with the ratios
 * between them; {@code bench encoder} times the encoders alone, {@code bench decode} decoding and
 * preprocessing per photo size.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the bare encoders, decoding, the whole pipeline (sustained rate, latency at 25/50/90%",
      "load) and the training side in one run; print the table with the ratios and write it as",
      "Markdown and a PNG chart."
    },
    subcommands = {
      BenchEncoderCommand.class,
      BenchDecodeCommand.class,
      BenchPhotosCommand.class,
      BenchSearchCommand.class,
      BenchFewShotCommand.class,
      BenchDeliveryCommand.class,
      CommandLine.HelpCommand.class
    })
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--quick", description = "Fewer batch sizes and shorter runs (a few minutes).")
  boolean quick;

  @Option(
      names = "--output",
      defaultValue = "target/bench",
      description = "Folder for benchmarks.md and benchmarks.png (default ${DEFAULT-VALUE}).")
  Path output;

  @Option(
      names = "--batch-sizes",
      split = ",",
      description = "Batch sizes of the pipeline runs (default: 4,32,64 quick; 1,4,16,32,64 full).")
  int[] batchSizes;

  @Override
  public Integer call() throws Exception {
    BenchmarkSuite.Plan plan = quick ? BenchmarkSuite.Plan.quick() : BenchmarkSuite.Plan.full();
    if (batchSizes != null) {
      if (java.util.Arrays.stream(batchSizes).anyMatch(b -> b < 1)) {
        throw new UserError("--batch-sizes must be positive");
      }
      plan = plan.withBatchSizes(batchSizes);
    }
    PrintWriter out = spec.commandLine().getOut();
    LabelledImages images =
        Datasets.load(FashionMnist.Split.TEST, Datasets.locator(null)).head(1000);
    List<byte[]> pngs = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < images.count(); i++) {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(images.toBufferedImage(i), "png", png);
      pngs.add(png.toByteArray());
      captions.add("a photo of a " + images.className(i).toLowerCase(Locale.ROOT) + ".");
    }
    Path weights = Files.createTempFile("clipstream-bench-", ".safetensors");
    try {
      DefaultModel.copyTo(DefaultModel.WEIGHTS, weights);
      String report =
          new BenchmarkSuite(
                  plan,
                  weights,
                  pngs,
                  captions,
                  LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES),
                  out)
              .run(output);
      out.println();
      out.print(report);
      out.printf(
          "%nwritten: %s, %s%n", output.resolve("benchmarks.md"), output.resolve("benchmarks.png"));
      out.flush();
    } finally {
      Files.deleteIfExists(weights);
    }
    return 0;
  }
}
