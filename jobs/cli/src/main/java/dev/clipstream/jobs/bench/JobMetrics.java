package dev.clipstream.jobs.bench;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The bench's view of the metrics its in-process jobs report (the same metric objects the web UI
 * and any reporter see): a Flink metric reporter that keeps every metric by its identifier, whose
 * scope names the job, so a run reads its own job's CPU counters and stage histograms.
 */
public final class JobMetrics {
  private JobMetrics() {}

  /** The stage histograms of the tagging job's {@code measure-stages} operator, in order. */
  static final List<String> STAGES =
      List.of("decodeTimeUs", "queueWaitUs", "forwardTimeUs", "inJobTimeUs");

  private static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

  /** {@code config} with this reporter added. */
  static Configuration reportingTo(Configuration config) {
    config.setString("metrics.reporter.bench.factory.class", Factory.class.getName());
    return config;
  }

  /** The sum over the job's subtasks of the counters named {@code name}. */
  static long sum(String job, String name) {
    long sum = 0;
    for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
      if (ofJob(e.getKey(), job)
          && e.getKey().endsWith("." + name)
          && e.getValue() instanceof Counter c) {
        sum += c.getCount();
      }
    }
    return sum;
  }

  /** The statistics of the job's histogram {@code name} (parallelism 1: its only subtask). */
  static HistogramStatistics histogram(String job, String name) {
    for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
      if (ofJob(e.getKey(), job)
          && e.getKey().endsWith("." + name)
          && e.getValue() instanceof Histogram h) {
        return h.getStatistics();
      }
    }
    throw new IllegalStateException("job " + job + " reported no histogram " + name);
  }

  /** The value of the job's gauge {@code name} as a number (its only subtask); NaN if absent. */
  static double gauge(String job, String name) {
    for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
      if (ofJob(e.getKey(), job)
          && e.getKey().endsWith("." + name)
          && e.getValue() instanceof Gauge<?> g
          && g.getValue() instanceof Number n) {
        return n.doubleValue();
      }
    }
    return Double.NaN;
  }

  /** The CPU counters of a job at one moment: forward, all measured task threads, events out. */
  record CpuSample(long forwardNanos, long taskNanos, long events) {
    static CpuSample of(String job) {
      return new CpuSample(
          sum(job, "forwardCpuNanos"), sum(job, "taskCpuNanos"), sum(job, "eventsOut"));
    }

    /** What the job spent between {@code earlier} and this sample. */
    CpuShare since(CpuSample earlier) {
      long events = Math.max(1, this.events - earlier.events);
      double forward = (forwardNanos - earlier.forwardNanos) / (double) events;
      double framework = (taskNanos - earlier.taskNanos) / (double) events - forward;
      return new CpuShare(forward / 1e3, framework / 1e3);
    }
  }

  /** Thread CPU per event in µs: the encoder's forward and the rest of the task threads' work. */
  public record CpuShare(double forwardMicros, double frameworkMicros) {
    /** Framework CPU ÷ encoder CPU. */
    public double ratio() {
      return frameworkMicros / forwardMicros;
    }
  }

  private static boolean ofJob(String identifier, String job) {
    return identifier.contains("." + job + ".");
  }

  /**
   * Keeps every metric the cluster adds (a removed one is kept too: a finished job's last values).
   */
  public static final class Reporter implements MetricReporter {
    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
      METRICS.put(group.getMetricIdentifier(name), metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}
  }

  /**
   * Makes the {@link Reporter}; Flink finds a factory by the Java service loader (listed in this
   * module's {@code META-INF/services}) and picks it by the class named in the configuration.
   */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new Reporter();
    }
  }
}
