package dev.clipstream.jobs.cli;

import dev.clipstream.model.ClipModel;
import dev.clipstream.model.EncoderBenchmark;
import dev.clipstream.model.engine.DjlRuntime;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream bench encoder}: tokenizer texts/s and encoder images/s and texts/s by batch
 * size.
 */
@Command(
    name = "encoder",
    mixinStandardHelpOptions = true,
    description =
        "Tokenizer texts/s, and image/text encoder items/s at batch sizes 1, 8, 32, for given weights and a ViT-B/32-sized model.")
final class BenchEncoderCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = false)
  WeightsOption weights;

  @Option(
      names = "--iterations",
      defaultValue = "20",
      description = "Timed batches per row for the given weights (default ${DEFAULT-VALUE}).")
  int iterations;

  @Option(
      names = "--skip-vit-b32",
      description = "Leave out the randomly initialised ViT-B/32-sized model.")
  boolean skipVitB32;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    out.println(DjlRuntime.describe().oneLine());
    out.printf("tokenizer: %.0f texts/s (one thread, warm cache)%n", tokenizerRate());
    out.printf(
        "decode + preprocess: %.1f images/s (one thread, 512x512 PNG photo-like noise to 224x224)%n%n",
        preprocessRate());
    List<EncoderBenchmark.Row> rows = new ArrayList<>();
    if (weights != null) {
      try (ClipModel model = weights.load(spec.commandLine().getErr())) {
        rows.addAll(
            EncoderBenchmark.run(
                model, weights.name(), EncoderBenchmark.BATCH_SIZES, 3, iterations));
      }
    }
    if (!skipVitB32) {
      try (ClipModel vitB32 = ClipModel.initialise(EncoderBenchmark.VIT_B_32, 0)) {
        rows.addAll(EncoderBenchmark.run(vitB32, "ViT-B/32", EncoderBenchmark.BATCH_SIZES, 1, 3));
      }
    }
    out.print(EncoderBenchmark.table(rows));
    out.flush();
    return 0;
  }

  private static double tokenizerRate() {
    ClipTokenizer tokenizer = ClipTokenizer.load();
    String[] texts = {
      "a photo of a golden retriever playing in the park.",
      "Red birds, 7174 of them!",
      "a black and white photo of an ankle boot.",
      "東京タワーの写真",
      "a low resolution photo of the small teal bird."
    };
    for (int i = 0; i < 2000; i++) {
      tokenizer.tokenize(texts[i % texts.length] + " " + (i % 50));
    }
    int n = 20_000;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      tokenizer.tokenize(texts[i % texts.length] + " " + (i % 50));
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private static double preprocessRate() throws IOException {
    java.awt.image.BufferedImage image =
        new java.awt.image.BufferedImage(512, 512, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(1);
    for (int y = 0; y < 512; y++) {
      for (int x = 0; x < 512; x++) {
        int r = Math.min(255, x / 2 + random.nextInt(32));
        int g = Math.min(255, y / 2 + random.nextInt(32));
        image.setRGB(x, y, r << 16 | g << 8 | ((x + y) / 4));
      }
    }
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "png", png);
    byte[] bytes = png.toByteArray();
    dev.clipstream.model.preprocess.ImagePreprocessor preprocessor =
        new dev.clipstream.model.preprocess.ImagePreprocessor(
            dev.clipstream.model.preprocess.PreprocessOptions.defaults(224));
    for (int i = 0; i < 5; i++) {
      preprocessor.preprocess(bytes);
    }
    int n = 30;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      preprocessor.preprocess(bytes);
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }
}
