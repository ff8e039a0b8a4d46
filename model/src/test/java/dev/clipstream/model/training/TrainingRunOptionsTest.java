package dev.clipstream.model.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clipstream.model.ClipConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The clean tail and clean share of an augmented run. */
class TrainingRunOptionsTest {

  static TrainingRunOptions options(Augmentation augment, int steps, int tail) {
    return options(augment, 0.3, steps, tail);
  }

  static TrainingRunOptions options(Augmentation augment, double cleanShare, int steps, int tail) {
    return new TrainingRunOptions(
        new ClipConfig(64, 28, 4, 128, 4, 32, 49408, 64, 1, 2),
        steps,
        256,
        2e-3,
        100,
        7,
        Set.of(),
        List.of("a photo of a {}."),
        augment,
        ShiftMix.withClean(cleanShare),
        tail,
        new AdamW.Settings(0.9, 0.98, 1e-6, 0.1, 1.0));
  }

  @Test
  void theLastStepsOfAShiftsRunAreCrops() {
    TrainingRunOptions o = options(Augmentation.SHIFTS, 1300, 325);
    assertEquals(Augmentation.SHIFTS, o.augmentAt(0));
    assertEquals(Augmentation.SHIFTS, o.augmentAt(974));
    assertEquals(Augmentation.CROPS, o.augmentAt(975));
    assertEquals(Augmentation.CROPS, o.augmentAt(1299));
  }

  @Test
  void withoutATailEveryStepKeepsTheRunsAugmentation() {
    TrainingRunOptions o = options(Augmentation.SHIFTS, 10, 0);
    for (int s = 0; s < 10; s++) {
      assertEquals(Augmentation.SHIFTS, o.augmentAt(s));
    }
    assertEquals(Augmentation.NONE, options(Augmentation.NONE, 10, 10).augmentAt(9));
  }

  @Test
  void aTailLongerThanTheRunIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> options(Augmentation.SHIFTS, 10, 11));
  }

  @Test
  void aCleanShareOutsideZeroToOneIsRefused() {
    assertEquals(1.0, options(Augmentation.SHIFTS, 1.0, 10, 0).shiftMix().clean());
    assertThrows(IllegalArgumentException.class, () -> options(Augmentation.SHIFTS, 1.5, 10, 0));
    assertThrows(
        IllegalArgumentException.class, () -> options(Augmentation.SHIFTS, Double.NaN, 10, 0));
  }
}
