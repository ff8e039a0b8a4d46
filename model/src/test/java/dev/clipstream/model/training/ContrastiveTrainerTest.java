package dev.clipstream.model.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.PromptTemplates;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on real Fashion-MNIST images and captions, with a model small enough for a unit test.
 */
class ContrastiveTrainerTest {

  /** A tiny CLIP at Fashion-MNIST's own 28 px: 16 patches of 7 px, one layer per tower. */
  static final ClipConfig TINY = new ClipConfig(32, 28, 1, 64, 7, 16, 49408, 64, 1, 1);

  @TempDir static Path cache;
  static LabelledImages images;

  @BeforeAll
  static void loadImages() throws Exception {
    images =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(256);
  }

  static CaptionedImageSampler sampler(boolean augment, long seed) {
    return new CaptionedImageSampler(
        images,
        List.of("a photo of a {}.", "a {}, product photo."),
        ClipTokenizer.load(),
        28,
        16,
        Set.of(),
        augment,
        seed);
  }

  @Test
  void theLossFallsOnASmallRealBatch() {
    CaptionedBatch batch = sampler(false, 1).next(32);
    try (ClipModel model = ClipModel.initialise(TINY, 11);
        ContrastiveTrainer trainer =
            new ContrastiveTrainer(
                model,
                LearningRateSchedule.constantAfterWarmup(2e-3, 1),
                AdamW.Settings.clipDefaults())) {
      double first = trainer.step(batch).loss();
      double last = first;
      for (int i = 0; i < 40; i++) {
        last = trainer.step(batch).loss();
      }
      assertEquals(41, trainer.steps());
      assertTrue(last < first * 0.5, "loss went from " + first + " to " + last);
    }
  }

  @Test
  void keepsTheTemperatureAtMostOneHundred() {
    try (ClipModel model = ClipModel.initialise(TINY, 12);
        ContrastiveTrainer trainer =
            new ContrastiveTrainer(
                model,
                LearningRateSchedule.constantAfterWarmup(1e-3, 1),
                AdamW.Settings.clipDefaults())) {
      model.parameters().get("logit_scale").getArray().set(new float[] {6f});
      trainer.step(sampler(true, 2).next(8));
      assertTrue(model.logitScale() <= 100.0001f, "scale " + model.logitScale());
    }
  }

  @Test
  void groupsImagesThatShareACaption() {
    CaptionedBatch batch = sampler(true, 3).next(64);

    assertTrue(batch.captionIds().length < 64, "with 10 classes × 2 templates captions repeat");
    java.util.Set<String> rows = new java.util.HashSet<>();
    for (long[] row : batch.captionIds()) {
      rows.add(java.util.Arrays.toString(row));
    }
    assertEquals(
        batch.captionIds().length,
        rows.size(),
        "each distinct caption appears once, so equal captions share an index");
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (int c : batch.captionOf()) {
      used.add(c);
    }
    assertEquals(batch.captionIds().length, used.size(), "every caption row belongs to some image");
  }

  @Test
  void neverDrawsAnExcludedLabel() {
    CaptionedImageSampler withoutBags =
        new CaptionedImageSampler(
            images, PromptTemplates.DEFAULT, ClipTokenizer.load(), 28, 16, Set.of(8, 9), true, 4);
    int allowed = 0;
    for (int label : images.labels()) {
      allowed += label == 8 || label == 9 ? 0 : 1;
    }
    assertEquals(allowed, withoutBags.eligibleCount());
  }
}
