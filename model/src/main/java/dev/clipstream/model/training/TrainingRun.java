package dev.clipstream.model.training;

import dev.clipstream.model.ClipModel;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import java.time.Duration;

/** Trains a CLIP from scratch on captioned images for a fixed number of steps. */
public final class TrainingRun {

  /** Told after every step. */
  @FunctionalInterface
  public interface Progress {
    void onStep(TrainingStep step, int totalSteps, double imagesPerSecond, Duration remaining);
  }

  /** Told every {@link #every()} steps with the model as trained so far (to save a copy). */
  public interface Snapshots {
    /** Steps between snapshots; 0 for none. */
    int every();

    void take(int step, ClipModel model);

    /** No snapshots. */
    Snapshots NONE =
        new Snapshots() {
          @Override
          public int every() {
            return 0;
          }

          @Override
          public void take(int step, ClipModel model) {}
        };
  }

  private TrainingRun() {}

  /** The trained model (the caller closes it). */
  public static ClipModel train(
      LabelledImages images,
      TrainingRunOptions options,
      ClipTokenizer tokenizer,
      Progress progress) {
    return train(images, options, tokenizer, progress, Snapshots.NONE);
  }

  /** The trained model (the caller closes it). */
  public static ClipModel train(
      LabelledImages images,
      TrainingRunOptions options,
      ClipTokenizer tokenizer,
      Progress progress,
      Snapshots snapshots) {
    ClipModel model = ClipModel.initialise(options.config(), options.seed());
    CaptionedImageSampler sampler =
        new CaptionedImageSampler(
            images,
            options.templates(),
            tokenizer,
            options.config().imageResolution(),
            options.config().contextLength(),
            options.excludedLabels(),
            options.augment(),
            options.shiftMix(),
            options.seed());
    try (ContrastiveTrainer trainer =
        new ContrastiveTrainer(model, options.schedule(), options.optimizer())) {
      long start = System.nanoTime();
      for (int s = 0; s < options.steps(); s++) {
        TrainingStep step = trainer.step(sampler.next(options.batchSize(), options.augmentAt(s)));
        double seconds = (System.nanoTime() - start) / 1e9;
        double perSecond = (s + 1) * options.batchSize() / seconds;
        Duration remaining =
            Duration.ofMillis((long) (seconds / (s + 1) * (options.steps() - s - 1) * 1000));
        progress.onStep(step, options.steps(), perSecond, remaining);
        if (snapshots.every() > 0 && (s + 1) % snapshots.every() == 0 && s + 1 < options.steps()) {
          snapshots.take(s + 1, model);
        }
      }
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return model;
  }
}
