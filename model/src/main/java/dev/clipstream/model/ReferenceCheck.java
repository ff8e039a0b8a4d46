package dev.clipstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.weights.SafeTensorsFile;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs a reference file's inputs ({@code pixel_values}, {@code input_ids}) through a model in
 * batches and measures how far its {@code image_embeds}, {@code text_embeds} and {@code
 * logits_per_image} are from the file's, each as max |ours − reference| / max |reference|.
 */
public final class ReferenceCheck {

  /** The bound {@code clipstream model verify} holds a model to: float32 agreement. */
  public static final double DEFAULT_THRESHOLD = 1e-4;

  private ReferenceCheck() {}

  /** Relative errors of the three outputs. */
  public record Result(
      double imageEmbeds, double textEmbeds, double logitsPerImage, int batchSize) {

    /** The largest of the three errors. */
    public double worst() {
      return Math.max(imageEmbeds, Math.max(textEmbeds, logitsPerImage));
    }

    /** Whether every error is at most {@code threshold}. */
    public boolean passed(double threshold) {
      return worst() <= threshold;
    }

    @Override
    public String toString() {
      return String.format(
          "batch %d: image_embeds %.3e, text_embeds %.3e, logits_per_image %.3e",
          batchSize, imageEmbeds, textEmbeds, logitsPerImage);
    }
  }

  /** Checks {@code model} against a reference file on disk. */
  public static Result run(ClipModel model, Path reference, int batchSize) throws IOException {
    return run(model, SafeTensorsFile.read(reference), batchSize);
  }

  /** Checks {@code model} against a reference already read. */
  public static Result run(ClipModel model, SafeTensorsFile reference, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
    }
    long[] pixelShape = reference.info("pixel_values").shape();
    long[] idShape = reference.info("input_ids").shape();
    float[] pixels = reference.floats("pixel_values");
    long[] ids = reference.longs("input_ids");
    float[] images =
        encodeAll(
            model,
            pixelShape,
            batchSize,
            (manager, from, to, shape) ->
                model.encodeImage(
                    manager.create(FloatBuffer.wrap(pixels, from, to - from).slice(), shape)));
    float[] texts =
        encodeAll(
            model,
            idShape,
            batchSize,
            (manager, from, to, shape) ->
                model.encodeText(
                    manager.create(LongBuffer.wrap(ids, from, to - from).slice(), shape)));
    long embed = model.config().embedDim();
    float[] logits;
    try (NDManager manager = model.newBatchManager()) {
      logits =
          model
              .logitsPerImage(
                  manager.create(images, new Shape(pixelShape[0], embed)),
                  manager.create(texts, new Shape(idShape[0], embed)))
              .toFloatArray();
    }
    return new Result(
        relativeError(images, reference.floats("image_embeds")),
        relativeError(texts, reference.floats("text_embeds")),
        relativeError(logits, reference.floats("logits_per_image")),
        batchSize);
  }

  /** max |ours − reference| / max |reference|. */
  static double relativeError(float[] ours, float[] reference) {
    if (ours.length != reference.length) {
      throw new IllegalArgumentException(ours.length + " values against " + reference.length);
    }
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < ours.length; i++) {
      worst = Math.max(worst, Math.abs((double) ours[i] - reference[i]));
      scale = Math.max(scale, Math.abs((double) reference[i]));
    }
    return worst / scale;
  }

  /**
   * Encodes one batch: elements {@code [from, to)} of the flat input, reshaped to {@code shape}.
   */
  private interface BatchEncoder {
    NDArray encode(NDManager manager, int from, int to, Shape shape);
  }

  /** Encodes the input's rows batch by batch, each batch in its own manager, and joins them. */
  private static float[] encodeAll(
      ClipModel model, long[] inputShape, int batchSize, BatchEncoder encoder) {
    int rows = (int) inputShape[0];
    int rowSize = (int) (Arrays.stream(inputShape).reduce(1, Math::multiplyExact) / rows);
    float[] out = new float[rows * model.config().embedDim()];
    for (int start = 0; start < rows; start += batchSize) {
      int end = Math.min(rows, start + batchSize);
      long[] dims = inputShape.clone();
      dims[0] = end - start;
      try (NDManager manager = model.newBatchManager()) {
        float[] part =
            encoder.encode(manager, start * rowSize, end * rowSize, new Shape(dims)).toFloatArray();
        System.arraycopy(part, 0, out, start * model.config().embedDim(), part.length);
      }
    }
    return out;
  }
}
