package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.bench.DeliveryBenchmark;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.zeroshot.LabelSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream bench delivery}: committed latency of the exactly-once and at-least-once sinks
 * at the same paced load, on the default model, in one run.
 */
@Command(
    name = "delivery",
    mixinStandardHelpOptions = true,
    description = {
      "Committed latency (event time to a read_committed consumer) of the tagging job with",
      "exactly-once and with at-least-once sinks (output.delivery) at the same share of the",
      "pipeline's sustained rate, on the default model, against each mode's target."
    })
final class BenchDeliveryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "batch.max-size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--events",
      defaultValue = "3000",
      description = "Events waiting for the sustained run (default ${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--seconds",
      defaultValue = "30",
      description = "Length of each mode's paced run (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--load",
      defaultValue = "0.5",
      description = "Paced rate as a share of the sustained rate (default ${DEFAULT-VALUE}).")
  double load;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1 || events < 2 * batchSize || seconds < 1 || !(load > 0 && load <= 1)) {
      throw new UserError(
          "--batch-size and --seconds must be positive, --events at least two batches and --load"
              + " in (0, 1]");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(dev.clipstream.model.engine.DjlRuntime.describe().oneLine()); // starts the engine
    // As `clipstream bench`: one intra-op thread fewer than the cores, the last one left to
    // decoding, Kafka and Flink; the bare forward is timed at the same threads.
    int threads = Math.max(1, ai.djl.pytorch.jni.JniUtils.getNumThreads() - 1);
    ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    out.println("intra-op threads: " + threads);
    LabelledImages images =
        Datasets.load(FashionMnist.Split.TEST, Datasets.locator(null)).head(1000);
    List<byte[]> pngs = new ArrayList<>();
    for (int i = 0; i < images.count(); i++) {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(images.toBufferedImage(i), "png", png);
      pngs.add(png.toByteArray());
    }
    Path weights = Files.createTempFile("clipstream-bench-", ".safetensors");
    try {
      DefaultModel.copyTo(DefaultModel.WEIGHTS, weights);
      String report =
          DeliveryBenchmark.run(
              new DeliveryBenchmark.Plan(
                  batchSize, Duration.ofMillis(50), events, Duration.ofSeconds(seconds), load, 30),
              weights,
              pngs,
              LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES),
              out);
      out.println();
      out.print(report);
      out.flush();
    } finally {
      Files.deleteIfExists(weights);
    }
    return 0;
  }
}
