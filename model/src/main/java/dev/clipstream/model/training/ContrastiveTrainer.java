package dev.clipstream.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.engine.DjlRuntime;
import dev.clipstream.model.nn.GradMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains a {@link ClipModel} in place with CLIP's objective: per batch, encode images and their
 * distinct captions, take the grouped symmetric cross-entropy ({@link ContrastiveLoss}) at the
 * learned temperature, back-propagate, and apply one {@link AdamW} step at the scheduled rate; the
 * temperature's log-parameter is then clamped so that exp stays at most 100, as CLIP did. The same
 * trainer serves the offline {@code clipstream train} and the streaming training job.
 */
public final class ContrastiveTrainer implements AutoCloseable {

  /** ln 100: CLIP clips the logit scale at 100 to keep training stable. */
  static final float MAX_LOG_SCALE = (float) Math.log(ClipModel.MAX_LOGIT_SCALE);

  private final ClipModel model;
  private final LearningRateSchedule schedule;
  private final AdamW optimizer;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();
  private final NDArray logScale;

  public ContrastiveTrainer(
      ClipModel model, LearningRateSchedule schedule, AdamW.Settings settings) {
    this.model = model;
    this.schedule = schedule;
    for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
      if (model.bufferNames().contains(e.getKey())) {
        continue; // BatchNorm's running statistics: state, not trained (frozen BatchNorm)
      }
      NDArray array = e.getValue().getArray();
      array.setRequiresGradient(true);
      parameters.put(e.getKey(), array);
    }
    this.logScale = parameters.get("logit_scale");
    this.optimizer = new AdamW(settings, logScale.getManager());
  }

  /** The model being trained. */
  public ClipModel model() {
    return model;
  }

  /** The optimiser (for its state in checkpoints). */
  public AdamW optimizer() {
    return optimizer;
  }

  /** Steps taken so far. */
  public long steps() {
    return optimizer.steps();
  }

  /** One optimisation step on {@code batch}. */
  public TrainingStep step(CaptionedBatch batch) {
    long step = optimizer.steps();
    double rate = schedule.rateAt(step);
    double loss;
    try (NDManager scope = model.newBatchManager()) {
      NDArray pixels =
          scope.create(
              batch.pixels(), new Shape(batch.size(), 3, batch.resolution(), batch.resolution()));
      NDArray ids =
          scope.create(
              flatten(batch.captionIds()),
              new Shape(batch.captionIds().length, batch.captionIds()[0].length));
      NDArray rows = scope.create(batch.captionOf());
      try (GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
        NDArray images = normalise(model.encodeImage(pixels, true));
        NDArray captions = normalise(model.encodeText(ids, true));
        NDArray texts = captions.get(rows);
        NDArray scale = logScale.exp();
        scale.attach(scope); // the exp of a parameter would otherwise live as long as the model
        NDArray lossArray = ContrastiveLoss.of(images, texts, scale, batch.captionOf());
        collector.backward(lossArray);
        loss = lossArray.getFloat();
      }
    }
    double norm = optimizer.step(parameters, rate);
    clampTemperature();
    return new TrainingStep(step + 1, loss, norm, rate, model.logitScale());
  }

  private void clampTemperature() {
    try (GradMode off = GradMode.disabled()) {
      if (logScale.getFloat() > MAX_LOG_SCALE) {
        logScale.set(new float[] {MAX_LOG_SCALE});
      }
    }
  }

  private static NDArray normalise(NDArray rows) {
    return rows.div(rows.norm(new int[] {1}, true));
  }

  private static long[] flatten(long[][] rows) {
    int width = rows[0].length;
    long[] out = new long[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * width, width);
    }
    return out;
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
