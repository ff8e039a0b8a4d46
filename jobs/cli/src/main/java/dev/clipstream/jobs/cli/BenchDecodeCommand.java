package dev.clipstream.jobs.cli;

import dev.clipstream.model.preprocess.DecodeBenchmark;
import dev.clipstream.model.preprocess.ImageDecoder;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream bench decode}: decode + preprocessing per photo size, on one thread. */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = {
      "Decode and preprocess (as OpenAI's CLIP does) a 512x512 JPEG, a 1024x1024 JPEG and a",
      "512x512 PNG photo on one thread; print images/s (wall clock and per CPU-second) per size",
      "and which decoder JPEGs went to (libjpeg-turbo where libturbojpeg is installed)."
    })
final class BenchDecodeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--seconds",
      defaultValue = "5",
      description =
          "Measured seconds per photo, after as many of warm-up (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--size",
      defaultValue = "224",
      description = "Input size of the preprocessing (default ${DEFAULT-VALUE}).")
  int size;

  @Override
  public Integer call() {
    if (seconds <= 0 || size < 1) {
      throw new UserError("--seconds and --size must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "JPEG decoder: %s%n%n", ImageDecoder.jpegDecoder());
    out.printf(
        Locale.ROOT,
        "| photo | bytes | images/s, 1 thread | images per CPU-second | of it system time | images"
            + " |%n| --- | ---: | ---: | ---: | ---: | ---: |%n");
    for (DecodeBenchmark.Photo photo : DecodeBenchmark.photos()) {
      DecodeBenchmark.Row r = DecodeBenchmark.measure(photo, size, seconds, seconds);
      out.printf(
          Locale.ROOT,
          "| %s | %,d | %.1f | %.1f | %.1f %% | %d |%n",
          photo.name(),
          photo.bytes().length,
          r.imagesPerSecond(),
          r.imagesPerCpuSecond(),
          100 * r.systemShare(),
          r.images());
      out.flush();
    }
    return 0;
  }
}
