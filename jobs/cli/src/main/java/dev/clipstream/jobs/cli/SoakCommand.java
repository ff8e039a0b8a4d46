package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.soak.SoakRun;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.zeroshot.LabelSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream soak}: the tagging job under steady load on the embedded runtime, memory
 * sampled once a second; exit 1 when resident memory grows past the bound after the warm-up.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Run the tagging job under steady load for a while, sampling heap, resident memory and open",
      "files once a second; fail if resident memory keeps growing after the warm-up. Writes",
      "memory.csv and memory.png."
    })
final class SoakCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--minutes",
      defaultValue = "10",
      description = "How long (default ${DEFAULT-VALUE}).")
  double minutes;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "45",
      description =
          "Not judged: the JIT, caches and Kafka's buffers fill (default ${DEFAULT-VALUE}).")
  long warmupSeconds;

  @Option(
      names = "--rate",
      defaultValue = "100",
      description = "Events per second (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--max-growth-mb",
      defaultValue = "64",
      description =
          "Largest resident-memory growth after the warm-up, from the trend (default ${DEFAULT-VALUE}).")
  long maxGrowthMb;

  @Option(
      names = "--output",
      defaultValue = "target/soak",
      description = "Folder for memory.csv and memory.png (default ${DEFAULT-VALUE}).")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (minutes * 60 <= warmupSeconds + 10) {
      throw new UserError("--minutes must leave at least 10 s after the warm-up");
    }
    if (rate <= 0) {
      throw new UserError("--rate must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    SoakRun.Plan plan =
        new SoakRun.Plan(
            Duration.ofMillis((long) (minutes * 60_000)),
            Duration.ofSeconds(warmupSeconds),
            rate,
            maxGrowthMb << 20,
            DefaultModel.manifest().path("config").path("image_resolution").asInt());
    SoakRun.Result result =
        SoakRun.run(
            plan,
            new DemoImages(Datasets.load(FashionMnist.Split.TEST, Datasets.locator(null))),
            LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES),
            output,
            out);
    out.print(result.toText(plan));
    out.printf("written: %s, %s%n", output.resolve("memory.csv"), output.resolve("memory.png"));
    out.flush();
    return result.passed() ? 0 : 1;
  }
}
