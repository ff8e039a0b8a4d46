package dev.clipstream.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/** The soak's trends rest on the samples after the warm-up, not on single spikes. */
class MemoryTrendTest {

  static List<MemorySample> samples(IntToLongFunction rss) {
    List<MemorySample> out = new ArrayList<>();
    for (int t = 0; t <= 120; t++) {
      long r = rss.applyAsLong(t);
      out.add(new MemorySample(t, 100L * t, 100L * t, 100, 200, r, r, 0, 0, 10));
    }
    return out;
  }

  @Test
  void aLeakOfOneMebibyteASecondIsSixtyAMinute() {
    MemoryTrend trend =
        MemoryTrend.of(samples(t -> 500L * 1048576 + t * 1048576L), 30, MemorySample::rssBytes);

    assertEquals(60.0, trend.slopePerMinute() / 1048576, 1e-9);
    assertEquals(90.0, trend.growth() / 1048576, 1e-9);
  }

  @Test
  void theWarmUpIsNotJudgedAndASpikeBarelyMovesTheTrend() {
    MemoryTrend trend =
        MemoryTrend.of(
            samples(t -> t < 30 ? t * 20L * 1048576 : (t == 80 ? 900L : 600L) * 1048576),
            30,
            MemorySample::rssBytes);

    assertEquals(0.0, trend.growth() / 1048576, 5.0);
  }

  @Test
  void samplesAfterTheEndOfTheWindowAreLeftOut() {
    MemoryTrend trend =
        MemoryTrend.of(
            samples(t -> t <= 100 ? 600L << 20 : (600L + 10 * (t - 100)) << 20),
            30,
            100,
            MemorySample::rssBytes);

    assertEquals(0.0, trend.growth(), 1e-3);
  }

  @Test
  void needsSamplesAfterTheWarmUp() {
    assertThrows(
        IllegalArgumentException.class,
        () -> MemoryTrend.of(samples(t -> 1), 500, MemorySample::rssBytes));
  }
}
