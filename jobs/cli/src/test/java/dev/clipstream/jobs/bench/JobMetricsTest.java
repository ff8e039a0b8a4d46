package dev.clipstream.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JobMetricsTest {

  @Test
  void eachTasksCpuIsSharedOverTheEventsThatTaskHandledInTheWindow() {
    JobMetrics.CpuSample start =
        new JobMetrics.CpuSample(1_000_000, 10, 5_000_000, 8, 4_000_000, 9_000_000, 8);
    // the decoder ran ahead: 40 events decoded in the window, 32 encoded, 30 out
    JobMetrics.CpuSample end =
        new JobMetrics.CpuSample(
            1_000_000 + 40 * 6_000_000L,
            50,
            5_000_000 + 32 * 71_000_000L,
            40,
            4_000_000 + 32 * 70_000_000L,
            9_000_000 + 30 * 100_000_000L,
            38);
    JobMetrics.CpuShare share = end.since(start);
    assertEquals(70_000, share.forwardMicros(), 1e-6);
    assertEquals(6_000, share.decodeMicros(), 1e-6);
    assertEquals(1_000, share.encodeTaskMicros(), 1e-6, "the encoding task's CPU less the forward");
    assertEquals(7_000, share.frameworkMicros(), 1e-6);
    assertEquals(0.1, share.ratio(), 1e-12);
    assertEquals(100_000, share.processMicros(), 1e-6);
  }
}
