package dev.clipstream.jobs.bench;

import dev.clipstream.jobs.io.Delivery;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.BatchingOptions;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.EncoderBenchmark;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.zeroshot.LabelSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Committed latency of the two delivery modes in one run: the bare image encoder's time per batch,
 * the pipeline's sustained rate (exactly once), then the same paced stream at a share of that rate
 * through the job with exactly-once sinks and with at-least-once sinks, read by the same
 * read_committed consumer; each against its target (checkpoint interval + 2 batch forwards, and 100
 * ms + 2 batch forwards, issue 15).
 */
public final class DeliveryBenchmark {

  /** The low-latency mode's allowance beyond two batch forwards (issue 15's target). */
  static final long AT_LEAST_ONCE_ALLOWANCE_MILLIS = 100;

  /** What to run. */
  public record Plan(
      int batchSize,
      Duration maxWait,
      int sustainedEvents,
      Duration pacedFor,
      double load,
      int encoderIterations) {}

  /** One mode's paced run and its target. */
  record Row(Delivery delivery, PipelineBenchmark.Paced paced, double targetMillis) {
    boolean met() {
      return paced.committedP99() <= targetMillis;
    }
  }

  private DeliveryBenchmark() {}

  /** Runs the plan on {@code weights} and {@code pngs} and returns the Markdown report. */
  public static String run(
      Plan plan, Path weights, List<byte[]> pngs, LabelSet labels, PrintWriter log)
      throws Exception {
    log.println("bare image encoder, batch " + plan.batchSize());
    log.flush();
    double batchMillis;
    int imageSize;
    try (ClipModel model = ClipModel.load(weights, LoadOptions.defaults())) {
      imageSize = model.config().imageResolution();
      batchMillis =
          EncoderBenchmark.run(
                  model, "served", new int[] {plan.batchSize()}, 5, plan.encoderIterations())
              .stream()
              .filter(r -> r.tower().equals("image"))
              .findFirst()
              .orElseThrow()
              .millisPerBatch();
    }
    BatchingOptions batching = new BatchingOptions(plan.batchSize(), plan.maxWait());
    List<Row> rows = new ArrayList<>();
    PipelineBenchmark.Sustained sustained;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      PipelineBenchmark pipeline =
          new PipelineBenchmark(kafka, pngs, weights.toString(), imageSize, labels);
      log.println("pipeline, sustained");
      log.flush();
      sustained = pipeline.sustained(batching, plan.sustainedEvents());
      double rate = plan.load() * sustained.eventsPerSecond();
      for (Delivery d : Delivery.values()) {
        log.printf(Locale.ROOT, "pipeline, %s at %.0f events/s%n", d, rate);
        log.flush();
        double allowance =
            d.transactional()
                ? PipelineBenchmark.CHECKPOINT_MILLIS
                : AT_LEAST_ONCE_ALLOWANCE_MILLIS;
        rows.add(
            new Row(
                d,
                pipeline.paced(batching, rate, plan.pacedFor(), d),
                allowance + 2 * batchMillis));
      }
    }
    return report(plan, batchMillis, sustained, rows);
  }

  static String report(
      Plan plan, double batchMillis, PipelineBenchmark.Sustained sustained, List<Row> rows) {
    StringBuilder md = new StringBuilder();
    md.append(
            String.format(
                Locale.ROOT,
                "| delivery | offered events/s | events | p50 in job, ms | p99 in job |"
                    + " p50 committed, ms | p99 committed | target p99, ms | met |%n"))
        .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (Row r : rows) {
      PipelineBenchmark.Paced p = r.paced();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %d | %d | %d | %d | %d | %.0f | %s |%n",
              r.delivery(),
              p.offeredPerSecond(),
              p.events(),
              p.p50(),
              p.p99(),
              p.committedP50(),
              p.committedP99(),
              r.targetMillis(),
              r.met()
                  ? "yes"
                  : "no, by " + Math.round(p.committedP99() - r.targetMillis()) + " ms"));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nBatch %d, max-wait %d ms, checkpoints every %d ms, parallelism 1; %.0f%% of the"
                + " sustained %.0f events/s (exactly once, %,d events waiting), %d s per mode;"
                + " one batch forward of the bare image encoder %.1f ms. Committed: event time to"
                + " a read_committed consumer seeing the result (in both modes). Targets: exactly"
                + " once, checkpoint interval + 2 batch forwards; at least once, %d ms + 2 batch"
                + " forwards.%n",
            plan.batchSize(),
            plan.maxWait().toMillis(),
            PipelineBenchmark.CHECKPOINT_MILLIS,
            plan.load() * 100,
            sustained.eventsPerSecond(),
            sustained.events(),
            plan.pacedFor().toSeconds(),
            batchMillis,
            AT_LEAST_ONCE_ALLOWANCE_MILLIS));
    md.append(
        "\nIn the job per stage, from its histograms (their last 1,024 events, so the end of each"
            + " paced run), mean / p99 ms:\n\n");
    for (Row r : rows) {
      md.append("- ").append(r.delivery()).append(':');
      String sep = " ";
      for (PipelineBenchmark.Stage s : r.paced().stages()) {
        md.append(
            String.format(
                Locale.ROOT, "%s%s %.1f / %.1f", sep, s.name(), s.meanMillis(), s.p99Millis()));
        sep = ", ";
      }
      md.append('\n');
    }
    return md.toString();
  }
}
