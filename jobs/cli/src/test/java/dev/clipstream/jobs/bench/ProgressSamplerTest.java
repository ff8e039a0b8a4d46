package dev.clipstream.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressSamplerTest {

  @Test
  void theRateRunsFromTheFirstSampleAtFromToTheFirstSampleAtTo() throws Exception {
    try (ProgressSampler sampler = ProgressSampler.start(() -> -1)) {
      sampler.add(10_000_000_000L, 0);
      sampler.add(11_000_000_000L, 5);
      sampler.add(12_000_000_000L, 12);
      sampler.add(13_000_000_000L, 20);
      sampler.add(14_000_000_000L, 20);
      // from the sample at 11 s (5 events) to the one at 13 s (20): 15 events in 2 s
      assertEquals(7.5, sampler.ratePerSecond(4, 20), 1e-9);
      // the counts covered are the samples', not the bounds asked for: 12 → 20 in 1 s
      assertEquals(8.0, sampler.ratePerSecond(6, 18), 1e-9);
    }
  }

  @Test
  void aCounterThatNeverReachesTheEndGivesNoRate() throws Exception {
    try (ProgressSampler sampler = ProgressSampler.start(() -> -1)) {
      sampler.add(0, 0);
      sampler.add(1_000_000_000L, 5);
      assertTrue(Double.isNaN(sampler.ratePerSecond(1, 6)));
      assertTrue(Double.isNaN(sampler.ratePerSecond(5, 5)), "one sample covers no time");
    }
  }

  @Test
  void itsThreadReadsTheCounterUntilClosed() throws Exception {
    AtomicLong counter = new AtomicLong();
    try (ProgressSampler sampler = ProgressSampler.start(counter::get)) {
      Thread.sleep(3 * ProgressSampler.PERIOD_MILLIS);
      counter.set(10);
      long deadline = System.nanoTime() + 30_000_000_000L;
      double rate = Double.NaN;
      while (Double.isNaN(rate) && System.nanoTime() < deadline) {
        Thread.sleep(ProgressSampler.PERIOD_MILLIS);
        rate = sampler.ratePerSecond(0, 10);
      }
      assertTrue(rate > 0, "the sampler saw the counter go from 0 to 10: " + rate);
    }
  }

  @Test
  void theActionAtTheThresholdRunsOnceWhenTheTriggerFirstReachesIt() throws Exception {
    AtomicLong counter = new AtomicLong();
    AtomicLong seenAt = new AtomicLong(-1);
    AtomicLong runs = new AtomicLong();
    try (ProgressSampler sampler =
        ProgressSampler.start(
            () -> -1,
            counter::get,
            5,
            () -> {
              seenAt.set(counter.get());
              runs.incrementAndGet();
            })) {
      Thread.sleep(3 * ProgressSampler.PERIOD_MILLIS);
      assertEquals(0, runs.get(), "below the threshold nothing runs");
      counter.set(7);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (runs.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(ProgressSampler.PERIOD_MILLIS);
      }
      counter.set(9);
      Thread.sleep(3 * ProgressSampler.PERIOD_MILLIS);
    }
    assertEquals(1, runs.get());
    assertEquals(7, seenAt.get());
  }
}
