package dev.clipstream.jobs.runtime;

/** Paces a producer: event {@code n} is due {@code n / rate} seconds after the start. */
public final class Pacing {
  private Pacing() {}

  /**
   * Sleeps until event {@code n} is due; returns at once when {@code perSecond} is 0 (no pacing).
   */
  public static void awaitTurn(long startNanos, long n, double perSecond)
      throws InterruptedException {
    if (perSecond <= 0) {
      return;
    }
    long wait = startNanos + (long) (n / perSecond * 1e9) - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
