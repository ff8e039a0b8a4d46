package dev.clipstream.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The verdict is bytes of anonymous resident memory per event processed, after the warm-up. */
class LeakVerdictTest {

  /** 120 s at 150 events/s; resident memory {@code base} plus per-event growth plus noise. */
  static List<MemorySample> run(double bytesPerEvent, long noiseBytes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<MemorySample> out = new ArrayList<>();
    for (int t = 0; t <= 120; t++) {
      long events = 150L * t;
      long warmup = t < 30 ? (30 - t) * -4L << 20 : 0; // grows 120 MiB in the warm-up, then holds
      long anon =
          (900L << 20)
              + warmup
              + (long) (bytesPerEvent * events)
              + (noiseBytes == 0 ? 0 : random.nextLong(-noiseBytes, noiseBytes));
      out.add(
          new MemorySample(
              t, events, events, 300L << 20, 1L << 30, anon + (200L << 20), anon, 0, 0, 200));
    }
    return out;
  }

  @Test
  void aKibibytePerEventIsMeasuredAsOne() {
    LeakVerdict v = LeakVerdict.judge(run(1024, 0, 1), 30, 120, 512, 64L << 20);

    assertEquals(1024, v.bytesPerEvent(), 1e-6);
    assertEquals(150 * 90, v.events());
    assertFalse(v.passed());
  }

  @Test
  void aKibibytePerEventStandsOutOfEightMebibytesOfNoise() {
    // 13,500 judged events: the leak adds 13 MiB; noise of +-8 MiB per sample moves the slope by
    // far less than the 512-byte bound.
    for (long seed = 0; seed < 20; seed++) {
      assertFalse(LeakVerdict.judge(run(1024, 8L << 20, seed), 30, 120, 512, 64L << 20).passed());
      assertTrue(LeakVerdict.judge(run(0, 8L << 20, seed), 30, 120, 512, 64L << 20).passed());
    }
  }

  @Test
  void growthDuringTheWarmUpIsNotJudged() {
    LeakVerdict v = LeakVerdict.judge(run(0, 0, 1), 30, 120, 512, 64L << 20);

    assertEquals(0, v.bytesPerEvent(), 1e-6);
    assertTrue(v.passed());
  }

  @Test
  void theJitsCodeCacheAndClassMetadataAreNotJudged() {
    List<MemorySample> samples = new ArrayList<>();
    for (int t = 0; t <= 120; t++) {
      long code = (100L << 20) + t * (256L << 10); // the JIT still compiling: 256 KiB a second
      long anon = (900L << 20) + code;
      samples.add(new MemorySample(t, 150L * t, 150L * t, 0, 0, anon, anon, 0, code, 0));
    }

    LeakVerdict v = LeakVerdict.judge(samples, 30, 120, 512, 64L << 20);

    assertEquals(0, v.bytesPerEvent(), 1e-6);
    assertTrue(v.passed());
  }

  @Test
  void growthThatFollowsTheClockIsBoundedToo() {
    List<MemorySample> samples = new ArrayList<>();
    for (int t = 0; t <= 120; t++) {
      long anon = (900L << 20) + t * (1L << 20); // 1 MiB/s while no events are processed
      samples.add(new MemorySample(t, 10, 10 + (t == 120 ? 1 : 0), 0, 0, anon, anon, 0, 0, 0));
    }

    LeakVerdict v = LeakVerdict.judge(samples, 30, 120, 512, 64L << 20);

    assertEquals(90.0, v.growthBytes() / 1048576, 1e-6);
    assertFalse(v.passed());
  }

  @Test
  void noEventsAfterTheWarmUpIsNoVerdict() {
    List<MemorySample> samples = new ArrayList<>();
    for (int t = 0; t <= 120; t++) {
      samples.add(new MemorySample(t, 5, 5, 0, 0, 1, 1, 0, 0, 0));
    }

    assertThrows(IllegalArgumentException.class, () -> LeakVerdict.judge(samples, 30, 120, 512, 1));
  }
}
