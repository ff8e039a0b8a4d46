package dev.clipstream.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Samples a job's output counter (its {@code eventsOut}) every few milliseconds on a thread of its
 * own, so that a run can tell the job's processing rate apart from the rate its results commit at:
 * with checkpoints far apart, a handful of commits release the results in bursts and their arrival
 * times say little about how fast the job worked.
 */
public final class ProgressSampler implements AutoCloseable {

  /** How often the counter is read. */
  public static final long PERIOD_MILLIS = 20;

  private record Sample(long nanos, long count) {}

  private final LongSupplier counter;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private final LongSupplier trigger;
  private final long threshold;
  private Runnable atThreshold;
  private volatile boolean running = true;

  private ProgressSampler(
      LongSupplier counter, LongSupplier trigger, long threshold, Runnable atThreshold) {
    this.counter = counter;
    this.trigger = trigger;
    this.threshold = threshold;
    this.atThreshold = atThreshold;
    this.thread = new Thread(this::sample, "bench-progress");
    thread.setDaemon(true);
  }

  /** Starts sampling {@code counter}. */
  static ProgressSampler start(LongSupplier counter) {
    return start(counter, counter, Long.MAX_VALUE, () -> {});
  }

  /**
   * The same, and runs {@code atThreshold} on the sampling thread at the first sample at which
   * {@code trigger} (another counter, or the same) has reached {@code threshold}.
   */
  static ProgressSampler start(
      LongSupplier counter, LongSupplier trigger, long threshold, Runnable atThreshold) {
    ProgressSampler sampler = new ProgressSampler(counter, trigger, threshold, atThreshold);
    sampler.thread.start();
    return sampler;
  }

  private void sample() {
    while (running) {
      long count = counter.getAsLong();
      if (atThreshold != null && trigger.getAsLong() >= threshold) {
        atThreshold.run();
        atThreshold = null;
      }
      add(System.nanoTime(), count);
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Records that the counter read {@code count} at {@code nanos} (the sampling thread's step). */
  void add(long nanos, long count) {
    synchronized (samples) {
      samples.add(new Sample(nanos, count));
    }
  }

  /**
   * Events per second between the first samples at which the counter had reached {@code from} and
   * {@code to}; the count covered is what the counter read at those samples, so a sample that comes
   * late shortens nothing. NaN when the counter never reached {@code to} or covered no time.
   */
  double ratePerSecond(long from, long to) {
    Sample start = null;
    Sample end = null;
    synchronized (samples) {
      for (Sample s : samples) {
        if (start == null && s.count >= from) {
          start = s;
        }
        if (s.count >= to) {
          end = s;
          break;
        }
      }
    }
    if (start == null || end == null || end.nanos == start.nanos) {
      return Double.NaN;
    }
    return (end.count - start.count) / ((end.nanos - start.nanos) / 1e9);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join();
  }
}
