package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.runtime.DemoEvents;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.soak.SoakModel;
import dev.clipstream.jobs.soak.SoakPhotos;
import dev.clipstream.jobs.soak.SoakResult;
import dev.clipstream.jobs.soak.SoakRun;
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
 * sampled once a second; exit 1 when resident memory grows with the events after the warm-up, or
 * when an input does not come back exactly once.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Run the tagging job under steady load for a while, sampling heap, resident memory, direct",
      "buffers, open files and events processed once a second; fail if the anonymous resident",
      "set grows with the events after the warm-up or an input is not answered exactly once.",
      "Writes memory.csv and memory.png. Real size: --model vit-b-32 --images photos."
    })
final class SoakCommand implements Callable<Integer> {

  /** What the events carry. */
  enum Images {
    FASHION_MNIST,
    PHOTOS
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--minutes",
      defaultValue = "10",
      description = "How long the producer runs (default ${DEFAULT-VALUE}).")
  double minutes;

  @Option(
      names = "--events",
      defaultValue = "0",
      description =
          "Stop the producer after this many events instead of after --minutes; 0: by time"
              + " (default ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--warmup-events",
      defaultValue = "0",
      description =
          "Not judged either: the first events processed, besides --warmup-seconds"
              + " (default ${DEFAULT-VALUE}).")
  long warmupEvents;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "45",
      description =
          "Not judged: the JIT, caches and Kafka's buffers fill (default ${DEFAULT-VALUE}).")
  long warmupSeconds;

  @Option(
      names = "--rate",
      defaultValue = "100",
      description =
          "Events per second offered; 0: as fast as the job takes them, with --in-flight"
              + " (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--in-flight",
      defaultValue = "0",
      description =
          "Most events sent but not yet answered; the producer waits above it. 0: no limit"
              + " (default ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(
      names = "--model",
      defaultValue = "default",
      converter = SoakModelConverter.class,
      description =
          "default (the embedded model) or vit-b-32 (OpenAI's ViT-B/32 shapes, 224 px, random"
              + " weights from a fixed seed, written once to --model-cache) (default ${DEFAULT-VALUE}).")
  SoakModel model;

  @Option(
      names = "--model-cache",
      defaultValue = "target/soak-model",
      description = "Folder for the generated ViT-B/32 weights (default ${DEFAULT-VALUE}).")
  Path modelCache;

  @Option(
      names = "--images",
      defaultValue = "fashion-mnist",
      converter = ImagesConverter.class,
      description =
          "fashion-mnist (28 px PNGs) or photos (54 JPEGs, 256-640 px, qualities 60/75/90, made"
              + " from the photos clipstream ships) (default ${DEFAULT-VALUE}).")
  Images images;

  @Option(
      names = "--parallelism",
      defaultValue = "2",
      description =
          "Parallelism of the job and partitions of its topics (default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--max-bytes-per-event",
      defaultValue = "512",
      description =
          "Largest slope of the anonymous resident set against events processed after the"
              + " warm-up, bytes (default ${DEFAULT-VALUE}: half the 1 KiB leak it must catch).")
  long maxBytesPerEvent;

  @Option(
      names = "--max-growth-mb",
      defaultValue = "64",
      description =
          "Largest anonymous resident-set growth after the warm-up, from the time trend"
              + " (default ${DEFAULT-VALUE}).")
  long maxGrowthMb;

  @Option(
      names = "--drain-seconds",
      defaultValue = "120",
      description =
          "After the producer stops, how long to wait for the last answers (default ${DEFAULT-VALUE}).")
  long drainSeconds;

  @Option(
      names = "--inject-leak-bytes-per-event",
      defaultValue = "0",
      hidden = true,
      description = "Test switch: keep this many bytes of native memory per event processed.")
  int leakBytesPerEvent;

  @Option(
      names = "--output",
      defaultValue = "target/soak",
      description = "Folder for memory.csv and memory.png (default ${DEFAULT-VALUE}).")
  Path output;

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    SoakRun.Plan plan =
        new SoakRun.Plan(
            Duration.ofMillis((long) (minutes * 60_000)),
            events,
            Duration.ofSeconds(warmupSeconds),
            warmupEvents,
            rate,
            inFlight,
            maxBytesPerEvent,
            maxGrowthMb << 20,
            model.weights(modelCache, out),
            parallelism,
            Duration.ofSeconds(drainSeconds),
            leakBytesPerEvent);
    DemoEvents events;
    LabelSet labels;
    if (images == Images.PHOTOS) {
      events = SoakPhotos.load();
      labels = LabelSet.of("soak-photos", 1, SoakPhotos.LABELS);
    } else {
      events = new DemoImages(Datasets.load(FashionMnist.Split.TEST, Datasets.locator(null)));
      labels = LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES);
    }
    SoakResult result = SoakRun.run(plan, events, labels, output, out);
    out.print(result.toText());
    out.printf("written: %s, %s%n", output.resolve("memory.csv"), output.resolve("memory.png"));
    out.flush();
    return result.passed() ? 0 : 1;
  }

  private void validate() {
    if (events < 0 || warmupEvents < 0) {
      throw new UserError("--events and --warmup-events must not be negative");
    }
    if (events > 0 && events <= warmupEvents + 1000) {
      throw new UserError("--events must leave at least 1000 events after --warmup-events");
    }
    if (events == 0 && minutes * 60 <= warmupSeconds + 10) {
      throw new UserError("--minutes must leave at least 10 s after the warm-up");
    }
    if (warmupSeconds < 0) {
      throw new UserError("--warmup-seconds must not be negative, got " + warmupSeconds);
    }
    if (rate < 0 || Double.isNaN(rate)) {
      throw new UserError("--rate must be 0 or positive, got " + rate);
    }
    if (inFlight < 0) {
      throw new UserError("--in-flight must be 0 or positive, got " + inFlight);
    }
    if (rate == 0 && inFlight == 0) {
      throw new UserError("--rate 0 needs --in-flight N, or the backlog grows for the whole run");
    }
    if (parallelism < 1) {
      throw new UserError("--parallelism must be at least 1, got " + parallelism);
    }
    if (maxBytesPerEvent < 0 || maxGrowthMb < 0) {
      throw new UserError("--max-bytes-per-event and --max-growth-mb must not be negative");
    }
    if (drainSeconds < 0) {
      throw new UserError("--drain-seconds must not be negative, got " + drainSeconds);
    }
    if (leakBytesPerEvent < 0) {
      throw new UserError("--inject-leak-bytes-per-event must not be negative");
    }
  }

  /** {@code default} or {@code vit-b-32}. */
  static final class SoakModelConverter implements picocli.CommandLine.ITypeConverter<SoakModel> {
    @Override
    public SoakModel convert(String value) {
      return switch (value) {
        case "default" -> SoakModel.DEFAULT;
        case "vit-b-32" -> SoakModel.VIT_B_32;
        default ->
            throw new picocli.CommandLine.TypeConversionException(
                "'" + value + "' is not a soak model: default or vit-b-32");
      };
    }
  }

  /** {@code fashion-mnist} or {@code photos}. */
  static final class ImagesConverter implements picocli.CommandLine.ITypeConverter<Images> {
    @Override
    public Images convert(String value) {
      return switch (value) {
        case "fashion-mnist" -> Images.FASHION_MNIST;
        case "photos" -> Images.PHOTOS;
        default ->
            throw new picocli.CommandLine.TypeConversionException(
                "'" + value + "' is not an image set: fashion-mnist or photos");
      };
    }
  }
}
