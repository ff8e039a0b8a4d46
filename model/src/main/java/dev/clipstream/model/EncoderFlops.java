package dev.clipstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.engine.DjlRuntime;

/**
 * Floating-point operations of one forward pass, counted from the architecture: a multiply-add is
 * two operations; matrix products only (layer norms, softmax, GELU and the embeddings' additions
 * are a few percent at these widths and are left out, as in the usual transformer FLOP counts).
 */
public final class EncoderFlops {
  private EncoderFlops() {}

  /**
   * One image through the vision transformer and its projection; NaN for a ModifiedResNet, whose
   * convolutions this count does not cover.
   */
  public static double perImage(ClipConfig c) {
    if (c.isResNet()) {
      return Double.NaN;
    }
    long patches =
        (long) (c.imageResolution() / c.visionPatchSize())
            * (c.imageResolution() / c.visionPatchSize());
    long tokens = patches + 1; // the class token
    long w = c.visionWidth();
    double patchEmbed = 2.0 * patches * (3L * c.visionPatchSize() * c.visionPatchSize()) * w;
    double layers = c.visionLayers() * transformerLayer(tokens, w);
    double projection = 2.0 * w * c.embedDim();
    return patchEmbed + layers + projection;
  }

  /** One text of {@code tokens} tokens (the encoder trims padding after the longest). */
  public static double perText(ClipConfig c, int tokens) {
    long w = c.transformerWidth();
    return c.transformerLayers() * transformerLayer(tokens, w) + 2.0 * w * c.embedDim();
  }

  /** q, k, v and output projections, the two attention products, and the 4× MLP. */
  static double transformerLayer(long tokens, long width) {
    double projections = 2.0 * tokens * width * width * 4;
    double attention = 2.0 * tokens * tokens * width * 2;
    double mlp = 2.0 * tokens * width * (4 * width) * 2;
    return projections + attention + mlp;
  }

  /**
   * The engine's float32 matrix-multiply rate in GFLOP/s on an {@code n}×{@code n} product, the
   * best of {@code repeats} timed runs after one warm-up.
   */
  public static double matmulGflops(int n, int repeats) {
    try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
      NDArray a = manager.randomNormal(new Shape(n, n));
      NDArray b = manager.randomNormal(new Shape(n, n));
      a.matMul(b).close();
      long best = Long.MAX_VALUE;
      for (int i = 0; i < repeats; i++) {
        long start = System.nanoTime();
        NDArray c = a.matMul(b);
        c.getFloat(0, 0); // wait for the result
        best = Math.min(best, System.nanoTime() - start);
        c.close();
      }
      return 2.0 * n * n * n / best;
    }
  }
}
