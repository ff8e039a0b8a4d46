package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The latency-driven batch size, fed measured forward times (no clock involved). */
class BatchPolicyTest {

  static final long MS = 1_000_000;

  /** Feeds {@code batches} forwards that each take {@code nanosPerImage} per image at the size. */
  static void run(BatchPolicy policy, int batches, long fixedNanos, long nanosPerImage) {
    for (int i = 0; i < batches; i++) {
      int n = policy.size();
      policy.forwardTook(n, fixedNanos + n * nanosPerImage);
    }
  }

  @Test
  void withoutATargetTheSizeAndWaitAreTheConfiguredOnes() {
    BatchPolicy policy = new BatchPolicy(new BatchingOptions(32, Duration.ofMillis(50)));
    assertEquals(32, policy.size());
    assertEquals(Duration.ofMillis(50), policy.maxWait());
    policy.forwardTook(32, 500 * MS);
    assertEquals(32, policy.size(), "a slow forward changes nothing without a target");
    assertEquals(Duration.ofMillis(50), policy.maxWait());
  }

  @Test
  void startsAtOneImageAndGrowsWhileForwardsAreFast() {
    BatchPolicy policy =
        new BatchPolicy(
            new BatchingOptions(64, Duration.ofMillis(50))
                .withLatencyTarget(Duration.ofMillis(101)));
    assertEquals(1, policy.size(), "nothing measured: one image first");
    assertEquals(Duration.ZERO, policy.maxWait());
    // 4 ms per batch + 1 ms per image: the size grows batch by batch towards the fixed point of
    // n = floor(101 / (2 (4/n + 1))), which is 46.
    int previous = 1;
    for (int i = 0; i < 30; i++) {
      run(policy, 1, 4 * MS, MS);
      assertTrue(policy.size() >= previous, "grows: " + previous + " → " + policy.size());
      previous = policy.size();
    }
    assertEquals(46, policy.size());
    double forward = policy.nanosPerImage() * policy.size();
    assertTrue(2 * forward <= 101 * MS, "two forwards fit into the target: " + forward);
    long expectedWait = Math.min(50 * MS, 101 * MS - Math.round(2 * forward));
    assertEquals(expectedWait, policy.maxWait().toNanos(), "the wait is what is left");
  }

  @Test
  void shrinksWhenForwardsSlowDown() {
    BatchPolicy policy =
        new BatchPolicy(
            new BatchingOptions(64, Duration.ofMillis(50))
                .withLatencyTarget(Duration.ofMillis(101)));
    run(policy, 30, 0, MS); // 1 ms per image: 50 fit
    assertEquals(50, policy.size());
    int previous = policy.size();
    for (int i = 0; i < 30; i++) {
      run(policy, 1, 0, 5 * MS); // the machine got busy: 5 ms per image
      assertTrue(policy.size() <= previous, "shrinks: " + previous + " → " + policy.size());
      previous = policy.size();
    }
    assertEquals(10, policy.size());
    double forward = policy.nanosPerImage() * policy.size();
    assertTrue(
        policy.maxWait().toNanos() <= 101 * MS - 2 * forward + 1,
        "the wait is what the two forwards leave: " + policy.maxWait());
    run(policy, 30, 0, 200 * MS); // slower than the target even for one image
    assertEquals(1, policy.size(), "never below one image");
    assertEquals(Duration.ZERO, policy.maxWait());
  }

  @Test
  void neverExceedsTheMaximumSizeNorTheMaximumWait() {
    BatchPolicy policy =
        new BatchPolicy(
            new BatchingOptions(16, Duration.ofMillis(20))
                .withLatencyTarget(Duration.ofSeconds(1)));
    run(policy, 30, 0, 10_000); // 10 µs per image: thousands would fit
    assertEquals(16, policy.size());
    assertEquals(Duration.ofMillis(20), policy.maxWait());
  }

  @Test
  void aNegativeTargetIsRefusedInOneLine() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> new BatchingOptions(8, Duration.ZERO, Duration.ofMillis(-1)));
    assertEquals("batch.latency-target must not be negative", e.getMessage());
  }
}
