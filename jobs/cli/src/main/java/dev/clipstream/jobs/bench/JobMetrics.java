package dev.clipstream.jobs.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
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
    return sum(job, "", name);
  }

  /**
   * {@link #sum(String, String)} as a supplier cheap enough to call every few milliseconds: it
   * finds the counters again only when metrics were added since it last looked (scanning every
   * metric each time took a bench's sampling thread about a second of CPU over two 320-event runs).
   */
  static LongSupplier counterSum(String job, String name) {
    return counterSum(job, "", name);
  }

  /** The same for {@code operator}'s counters only ({@code ""}: every operator's). */
  static LongSupplier counterSum(String job, String operator, String name) {
    return new LongSupplier() {
      private List<Counter> counters = List.of();
      private int scannedAt = -1;

      @Override
      public long getAsLong() {
        int size = METRICS.size();
        if (size != scannedAt) {
          counters = counters(job, operator, name);
          scannedAt = size;
        }
        return total(counters);
      }
    };
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

  /** The operator whose task thread decodes and preprocesses (its whole chain from the source). */
  static final String DECODE_OPERATOR = "decode-image";

  /** The operator whose task thread batches, and whose forward thread encodes and labels. */
  static final String ENCODE_OPERATOR = "batch-encode-label";

  /**
   * The CPU counters of a job at one moment: the decoding task's CPU and events, the encoding
   * task's (its forward thread's passes included) and its forward passes alone, the whole process's
   * CPU, and the job's events out.
   */
  record CpuSample(
      long decodeNanos,
      long decodeEvents,
      long encodeTaskNanos,
      long encodeEvents,
      long forwardNanos,
      long processNanos,
      long events) {
    static CpuSample of(String job) {
      return new CpuSample(
          sum(job, DECODE_OPERATOR, "taskCpuNanos"),
          sum(job, DECODE_OPERATOR, "taskCpuEvents"),
          sum(job, ENCODE_OPERATOR, "taskCpuNanos"),
          sum(job, ENCODE_OPERATOR, "taskCpuEvents"),
          sum(job, ENCODE_OPERATOR, "forwardCpuNanos"),
          processCpuNanos(),
          sum(job, "eventsOut"));
    }

    /**
     * What the job spent between {@code earlier} and this sample, each task's CPU over the events
     * that task handled in that time (the decoder runs ahead of the encoder).
     */
    CpuShare since(CpuSample earlier) {
      double encoded = Math.max(1, encodeEvents - earlier.encodeEvents);
      double forward = (forwardNanos - earlier.forwardNanos) / encoded;
      double decode =
          (decodeNanos - earlier.decodeNanos)
              / (double) Math.max(1, decodeEvents - earlier.decodeEvents);
      double encodeTask = (encodeTaskNanos - earlier.encodeTaskNanos) / encoded - forward;
      double process =
          (processNanos - earlier.processNanos) / (double) Math.max(1, events - earlier.events);
      return new CpuShare(forward / 1e3, decode / 1e3, encodeTask / 1e3, process / 1e3);
    }
  }

  /**
   * Thread CPU per event in µs: the encoder's forward; the decoding task thread (Kafka records,
   * decode, preprocess, thumbnail, serialisation into the network); the encoding task thread's rest
   * (deserialisation, batching, results, labels' chain, sink); and every thread of the process
   * (also the Kafka clients', Flink's network and timers, GC and JIT, and, in the bench, the
   * embedded broker and the bench's own reader).
   */
  public record CpuShare(
      double forwardMicros, double decodeMicros, double encodeTaskMicros, double processMicros) {
    /** Everything the job's task threads spent besides the forward pass. */
    public double frameworkMicros() {
      return decodeMicros + encodeTaskMicros;
    }

    /** Framework CPU ÷ encoder CPU. */
    public double ratio() {
      return frameworkMicros() / forwardMicros;
    }
  }

  /** The process's CPU time in ns, all threads; -1 where the JVM does not tell. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  /** The sum over the job's subtasks of {@code operator}'s counters named {@code name}. */
  static long sum(String job, String operator, String name) {
    return total(counters(job, operator, name));
  }

  /** The job's counters named {@code name} of {@code operator} ({@code ""}: of every operator). */
  private static List<Counter> counters(String job, String operator, String name) {
    String scope = operator.isEmpty() ? "" : "." + operator + ".";
    List<Counter> found = new ArrayList<>();
    for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
      if (ofJob(e.getKey(), job)
          && e.getKey().contains(scope)
          && e.getKey().endsWith("." + name)
          && e.getValue() instanceof Counter c) {
        found.add(c);
      }
    }
    return found;
  }

  private static long total(List<Counter> counters) {
    long sum = 0;
    for (Counter c : counters) {
      sum += c.getCount();
    }
    return sum;
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
