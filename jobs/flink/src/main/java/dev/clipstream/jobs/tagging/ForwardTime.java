package dev.clipstream.jobs.tagging;

/**
 * The encoder's duty cycle: nanoseconds spent in forward passes over the wall time since the first
 * pass started. Written by the forward thread, read by metric reporters.
 */
final class ForwardTime {
  private long first = -1;
  private long busyNanos;
  private long lastEnd;

  synchronized void add(long startNanos, long nanos) {
    if (first < 0) {
      first = startNanos;
    }
    busyNanos += nanos;
    lastEnd = startNanos + nanos;
  }

  /** Forward time over wall time up to the end of the last pass; NaN before the first. */
  synchronized double ratio() {
    long wall = lastEnd - first;
    return first < 0 || wall <= 0 ? Double.NaN : (double) busyNanos / wall;
  }
}
