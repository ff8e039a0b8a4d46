package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.io.ThreadCpu;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * {@link BatchEncode}'s metrics: the histograms {@code batchSize} and {@code encodeLatencyMs} (ms
 * per forward pass), the counters {@code batches} and {@code forwardCpuNanos}, the gauges {@code
 * forwardCpuNanosPerEvent}, {@code batchSizeLimit} (what the policy allows now) and {@code
 * encoderDutyCycle} (the forward thread's busy share; NaN without one), and the task's CPU time
 * ({@link ThreadCpu}). Made on the task thread, in {@code open()}.
 */
final class BatchMetrics {
  /** Samples kept by the batch-size and latency histograms. */
  private static final int HISTOGRAM_WINDOW = 1024;

  private final Histogram batchSizes;
  private final Histogram encodeMillis;
  private final Counter batches;
  private final Counter forwardCpuNanos;
  private final ThreadCpu cpu;
  private final boolean forwardThread;
  private long eventsEncoded;

  /**
   * {@code busy} is the forward thread's time, or null when the forward runs on the task thread.
   */
  BatchMetrics(MetricGroup group, BatchPolicy policy, ForwardTime busy) {
    batchSizes = group.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    encodeMillis =
        group.histogram("encodeLatencyMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    batches = group.counter("batches");
    group.gauge("encoderDutyCycle", (Gauge<Double>) () -> busy == null ? Double.NaN : busy.ratio());
    group.gauge("batchSizeLimit", (Gauge<Integer>) policy::size);
    forwardCpuNanos = group.counter("forwardCpuNanos");
    group.gauge(
        "forwardCpuNanosPerEvent",
        (Gauge<Long>) () -> eventsEncoded == 0 ? 0 : forwardCpuNanos.getCount() / eventsEncoded);
    forwardThread = busy != null;
    cpu = new ThreadCpu(group);
  }

  /** Counts a batch's forward pass; call it before its results are emitted. */
  void forwardDone(int size, Forward<?> done) {
    encodeMillis.update(done.nanos() / 1_000_000);
    batchSizes.update(size);
    batches.inc();
  }

  /**
   * Counts a batch's events and the task thread's CPU time up to now; call it after its results are
   * emitted, so the chain's serialisation and sink count. The forward thread's passes are added, so
   * the total is the operator's whatever thread ran the forward. The forward's CPU is counted here
   * too, beside the task's, so that a reader sampling both between two batches sees the same
   * forwards in {@code forwardCpuNanos} as in {@code taskCpuNanos} (counted when the forward ended,
   * it was one ahead while the results went down the chain).
   */
  void emitted(int size, Forward<?> done) {
    eventsEncoded += size;
    if (done.cpuNanos() >= 0) {
      forwardCpuNanos.inc(done.cpuNanos());
    }
    cpu.events(size, forwardThread && done.cpuNanos() > 0 ? done.cpuNanos() : 0);
  }
}
