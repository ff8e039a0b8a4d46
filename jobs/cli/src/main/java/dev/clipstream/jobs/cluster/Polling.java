package dev.clipstream.jobs.cluster;

import java.io.IOException;
import java.time.Duration;

/** Asking a cluster the same question until it gives the awaited answer or the time is up. */
final class Polling {

  /** One question to the cluster; {@code null} while the awaited answer is not there yet. */
  @FunctionalInterface
  interface Probe<T> {
    T ask() throws IOException;
  }

  private Polling() {}

  /**
   * Asks {@code probe} every {@code interval} until it answers, then returns the answer; past
   * {@code timeout}, fails with the message {@code failure} gives then.
   */
  static <T> T until(Duration timeout, Duration interval, Probe<T> probe, Probe<String> failure)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T answer = probe.ask();
      if (answer != null) {
        return answer;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(failure.ask());
      }
      Thread.sleep(interval.toMillis());
    }
  }
}
