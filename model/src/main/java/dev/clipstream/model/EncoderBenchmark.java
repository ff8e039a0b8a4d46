package dev.clipstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.clipstream.model.engine.DjlRuntime;
import dev.clipstream.model.vision.VisionTransformer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures encoder throughput (images/s, texts/s) at several batch sizes; {@link #main} prints a
 * table for the reference model (if given) and a randomly initialised ViT-B/32-sized model.
 *
 * <p>Usage: {@code EncoderBenchmark [weights.safetensors]}. Inputs are random pixels and random
 * token rows of the full context length, each ending in the vocabulary's largest id (where the text
 * tower pools). Each measurement runs warm-up batches first, then times whole batches including the
 * copy of the features back to the JVM.
 */
public final class EncoderBenchmark {

  /** OpenAI's ViT-B/32, as its build_model reads it from {@code ViT-B-32.pt}. */
  public static final ClipConfig VIT_B_32 =
      new ClipConfig(512, 224, 12, 768, 32, 77, 49408, 512, 8, 12);

  /** Batch sizes measured. */
  public static final int[] BATCH_SIZES = {1, 8, 32};

  /** Token rows end here, well inside the context, like a short caption. */
  private static final int TEXT_TOKENS = 20;

  private EncoderBenchmark() {}

  /** One measurement. */
  public record Row(
      String model,
      String tower,
      int batchSize,
      int iterations,
      double itemsPerSecond,
      double millisPerBatch,
      int intraOpThreads) {}

  /** The two encoders, each with a way to make a random batch for it. */
  public enum Tower {
    IMAGE {
      @Override
      NDArray input(ClipModel model, NDManager manager, int batchSize, SplittableRandom random) {
        int side = model.config().imageResolution();
        float[] pixels = new float[batchSize * VisionTransformer.CHANNELS * side * side];
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (float) random.nextGaussian(); // normalised pixels are roughly N(0, 1)
        }
        return manager.create(pixels, new Shape(batchSize, VisionTransformer.CHANNELS, side, side));
      }

      @Override
      NDArray encode(ClipModel model, NDArray input) {
        return model.encodeImage(input);
      }
    },
    TEXT {
      @Override
      NDArray input(ClipModel model, NDManager manager, int batchSize, SplittableRandom random) {
        int context = model.config().contextLength();
        int vocab = model.config().vocabSize();
        long[] ids = new long[batchSize * context]; // zero-padded, as OpenAI's tokenize pads
        for (int row = 0; row < batchSize; row++) {
          for (int t = 0; t < TEXT_TOKENS - 1; t++) {
            ids[row * context + t] = 1 + random.nextInt(vocab - 2);
          }
          ids[row * context + TEXT_TOKENS - 1] = vocab - 1; // end of text: the largest id
        }
        return manager.create(ids, new Shape(batchSize, context));
      }

      @Override
      NDArray encode(ClipModel model, NDArray input) {
        return model.encodeText(input);
      }
    };

    abstract NDArray input(ClipModel model, NDManager manager, int batchSize, SplittableRandom r);

    abstract NDArray encode(ClipModel model, NDArray input);
  }

  /** Times both encoders of {@code model} at each batch size. */
  public static List<Row> run(
      ClipModel model, String label, int[] batchSizes, int warmup, int iterations) {
    List<Row> rows = new ArrayList<>();
    for (Tower tower : Tower.values()) {
      for (int batchSize : batchSizes) {
        rows.add(time(model, label, tower, batchSize, warmup, iterations));
      }
    }
    return rows;
  }

  private static Row time(
      ClipModel model, String label, Tower tower, int batchSize, int warmup, int iterations) {
    SplittableRandom random = new SplittableRandom(batchSize);
    for (int i = 0; i < warmup; i++) {
      encodeOnce(model, tower, batchSize, random);
    }
    long nanos = 0;
    for (int i = 0; i < iterations; i++) {
      nanos += encodeOnce(model, tower, batchSize, random);
    }
    double seconds = nanos / 1e9;
    return new Row(
        label,
        tower.name().toLowerCase(java.util.Locale.ROOT),
        batchSize,
        iterations,
        batchSize * iterations / seconds,
        1000 * seconds / iterations,
        JniUtils.getNumThreads());
  }

  /** Encodes one random batch and returns the nanoseconds from input to features in the JVM. */
  private static long encodeOnce(ClipModel model, Tower tower, int batchSize, SplittableRandom r) {
    try (NDManager batch = model.newBatchManager()) {
      NDArray input = tower.input(model, batch, batchSize, r);
      long start = System.nanoTime();
      tower.encode(model, input).toFloatArray();
      return System.nanoTime() - start;
    }
  }

  /** The table {@link #main} prints. */
  public static String table(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%-10s %-6s %6s %6s %10s %10s %8s%n",
            "model", "tower", "batch", "iters", "items/s", "ms/batch", "threads"));
    for (Row row : rows) {
      out.append(
          String.format(
              "%-10s %-6s %6d %6d %10.1f %10.2f %8d%n",
              row.model(),
              row.tower(),
              row.batchSize(),
              row.iterations(),
              row.itemsPerSecond(),
              row.millisPerBatch(),
              row.intraOpThreads()));
    }
    return out.toString();
  }

  /** Runs the benchmark and prints its table. */
  public static void main(String[] args) throws IOException {
    System.out.println(DjlRuntime.describe().oneLine());
    List<Row> rows = new ArrayList<>();
    if (args.length > 0) {
      try (ClipModel reference = ClipModel.load(Path.of(args[0]), LoadOptions.defaults())) {
        rows.addAll(run(reference, "reference", BATCH_SIZES, 5, 30));
      }
    }
    // A few iterations only: a ViT-B/32 batch of 32 takes seconds on a laptop-class CPU.
    try (ClipModel vitB32 = ClipModel.initialise(VIT_B_32, 0)) {
      rows.addAll(run(vitB32, "ViT-B/32", BATCH_SIZES, 1, 3));
    }
    System.out.print(table(rows));
  }
}
