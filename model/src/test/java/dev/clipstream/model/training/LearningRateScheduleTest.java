package dev.clipstream.model.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void warmsUpLinearlyThenDecaysAlongACosineToTheFloor() {
    LearningRateSchedule s = new LearningRateSchedule(1e-3, 10, 110, 1e-5);

    assertEquals(1e-4, s.rateAt(0), 1e-12);
    assertEquals(1e-3, s.rateAt(9), 1e-12);
    assertEquals((1e-3 + 1e-5) / 2, s.rateAt(60), 1e-9);
    assertEquals(1e-5, s.rateAt(110), 1e-12);
    for (int step = 10; step < 110; step++) {
      assertTrue(s.rateAt(step + 1) <= s.rateAt(step));
    }
  }

  @Test
  void staysConstantAfterWarmUpForStreamingTraining() {
    LearningRateSchedule s = LearningRateSchedule.constantAfterWarmup(1e-4, 5);
    assertEquals(1e-4, s.rateAt(5), 1e-15);
    assertEquals(1e-4, s.rateAt(5_000_000), 1e-15);
  }
}
