package dev.clipstream.jobs.io;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The CPU time of an operator's task thread (the thread that runs its whole operator chain), as the
 * counter {@code taskCpuNanos}, the events it was spent on as the counter {@code taskCpuEvents},
 * and the gauge {@code taskCpuNanosPerEvent}. CPU time rather than wall time, so that a share of it
 * does not depend on what else the machine runs. Counted from the end of {@code open()} on (made
 * there, on the task thread), so loading a model is not in it. It sees Java threads only: native
 * threads (PyTorch's intra-op pool) and the Kafka clients' and Flink's network threads are not
 * counted.
 */
public final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Counter taskCpuNanos;
  private final Counter events;
  private long last;

  /** Registers the metrics in {@code metrics}; call it on the task thread, in {@code open()}. */
  public ThreadCpu(MetricGroup metrics) {
    this.taskCpuNanos = metrics.counter("taskCpuNanos");
    this.events = metrics.counter("taskCpuEvents");
    this.last = now();
    metrics.gauge(
        "taskCpuNanosPerEvent",
        (Gauge<Long>)
            () -> events.getCount() == 0 ? 0 : taskCpuNanos.getCount() / events.getCount());
  }

  /** The calling thread's CPU time in ns; -1 where the JVM cannot measure it. */
  public static long now() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
  }

  /** Adds the task thread's CPU time since the last call, and {@code n} events, to the metrics. */
  public void events(int n) {
    events(n, 0);
  }

  /**
   * The same, plus {@code otherThreadNanos} spent for these events on another Java thread of the
   * operator (its forward thread), so the total stays the operator's.
   */
  public void events(int n, long otherThreadNanos) {
    long cpu = now();
    if (cpu >= 0 && last >= 0) {
      taskCpuNanos.inc(cpu - last + otherThreadNanos);
    }
    last = cpu;
    events.inc(n);
  }
}
