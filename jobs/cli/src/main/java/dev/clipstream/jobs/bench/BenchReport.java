package dev.clipstream.jobs.bench;

import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.EncoderBenchmark;
import dev.clipstream.model.EncoderFlops;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report of one {@link BenchmarkSuite} run: its Markdown tables and its chart. */
final class BenchReport {

  private BenchReport() {}

  /** {@code benchmarks.md}: every table of the run, with how each figure was measured. */
  static String markdown(BenchmarkSuite.Plan plan, SuiteMeasurements m) {
    StringBuilder md = new StringBuilder();
    md.append("# clipstream bench\n\n")
        .append(m.engine())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores\n\n");
    md.append("## Throughput: pipeline against the bare image encoder\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "| batch size | bare encoder, %d threads, images/s | bare encoder, %d thread(s) |"
                    + " ms per batch | pipeline, events/s | pipeline ÷ bare, same threads |"
                    + " pipeline ÷ bare, %d threads | p99 in job at 50%% load, ms |"
                    + " max-wait + 2 batches, ms | framework ÷ encoder CPU |%n",
                m.allThreads(),
                m.pipelineThreads(),
                m.allThreads()))
        .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    Map<Integer, Double> bareAllImages = imageRates(m.bareAll(), false);
    Map<Integer, Double> bareImages = imageRates(m.bare(), false);
    Map<Integer, Double> batchMillis = imageRates(m.bare(), true);
    for (int b : plan.batchSizes()) {
      double ratio = m.sustained().get(b).eventsPerSecond() / bareImages.get(b);
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %,.0f | %,.0f | %.1f | %,.0f | %.2f | %.2f | %d | %.0f | %.3f |%n",
              b,
              bareAllImages.get(b),
              bareImages.get(b),
              batchMillis.get(b),
              m.sustained().get(b).eventsPerSecond(),
              ratio,
              m.sustained().get(b).eventsPerSecond() / bareAllImages.get(b),
              m.half().get(b).p99(),
              plan.maxWait().toMillis() + 2 * batchMillis.get(b),
              m.sustained().get(b).cpu().ratio()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nSustained: %,d events waiting before the job starts, parallelism 1, max-wait %d ms,"
                + " checkpoints (which commit the exactly-once results) every %d ms; uncaptioned"
                + " %d×%d PNGs, so the job's work equals the bare image encoder's.%n%n",
            plan.sustainedEvents(),
            plan.maxWait().toMillis(),
            PipelineBenchmark.CHECKPOINT_MILLIS,
            m.config().imageResolution(),
            m.config().imageResolution()));
    md.append(cpuNote(m.sustained().get(plan.mainBatchSize()).cpu(), plan.mainBatchSize()));

    if (m.photos() != null) {
      md.append("## Real size: ViT-B/32 (random weights) at 224 px on JPEG photos\n\n")
          .append(
              "| photos | batch | threads | bare encoder, images/s | ms per batch |"
                  + " bare, photos decoded beside it, ÷ bare | pipeline, events/s | pipeline ÷ bare | framework ÷ encoder CPU |"
                  + " forward on the task thread, events/s | ÷ bare |\n")
          .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %d | %.1f | %.0f | %.2f | %.1f | %.2f | %.3f | %.1f | %.2f |%n%n",
                  String.join(", ", m.photos().photos()),
                  m.photos().batchSize(),
                  m.photos().intraOpThreads(),
                  m.photos().bareImagesPerSecond(),
                  m.photos().bareMillisPerBatch(),
                  m.photos().besideDecodingRatio(),
                  m.photos().pipelineEventsPerSecond(),
                  m.photos().ratio(),
                  m.photos().cpu().ratio(),
                  m.photos().pipelineOnTaskThreadEventsPerSecond(),
                  m.photos().onTaskThreadRatio()))
          .append(
              String.format(
                  Locale.ROOT,
                  "The whole job (Kafka, decode, preprocess, batch, encode, label, exactly-once sink)"
                      + " on %,d JPEG events waiting before it starts, against the bare image encoder"
                      + " on the same photos' tensors.%n%n",
                  m.photos().events()));
    }

    md.append("## Latency at batch ")
        .append(plan.mainBatchSize())
        .append("\n\n")
        .append(
            "| load | offered events/s | events | p50 in job, ms | p95 | p99 | p50 committed, ms | p99 committed |\n")
        .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    String[] shares = {"25%", "50%", "90%"};
    for (int i = 0; i < m.loads().size(); i++) {
      PipelineBenchmark.Paced p = m.loads().get(i);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %d | %d | %d | %d | %d | %d |%n",
              shares[i],
              p.offeredPerSecond(),
              p.events(),
              p.p50(),
              p.p95(),
              p.p99(),
              p.committedP50(),
              p.committedP99()));
    }
    md.append(
        "\nIn job: event time to the result's processing time (the job's own end-to-end latency)."
            + " Committed: event time to a read_committed consumer seeing it, which adds the wait for the"
            + " checkpoint that commits the Kafka transaction.\n\n");
    md.append(stageTable(m.half().get(plan.mainBatchSize())));

    md.append("## Encoders, decoding, FLOPs\n\n")
        .append(
            "| model | tower | threads | batch | items/s | ms per batch | GFLOP per item |"
                + " achieved GFLOP/s |\n")
        .append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    List<EncoderBenchmark.Row> all = new ArrayList<>(m.bareAll());
    all.addAll(m.bare());
    all.addAll(m.vit());
    for (EncoderBenchmark.Row r : all) {
      ClipConfig c = r.model().equals("ViT-B/32") ? EncoderBenchmark.VIT_B_32 : m.config();
      double flops =
          r.tower().equals("image") ? EncoderFlops.perImage(c) : EncoderFlops.perText(c, 20);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %,.1f | %.2f | %.4f | %.1f |%n",
              r.model(),
              r.tower(),
              r.intraOpThreads(),
              r.batchSize(),
              r.itemsPerSecond(),
              r.millisPerBatch(),
              flops / 1e9,
              flops * r.itemsPerSecond() / 1e9));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nMatrix multiply (1024×1024 float32, same engine): %.1f GFLOP/s. ViT-B/32: %.2f GFLOP per image, %.2f per 20-token text."
                + " Decode + preprocess alone (%d px PNG to a CLIP input, one thread): %,.0f images/s."
                + " The pipeline and both training runs use %d intra-op thread(s).%n%n",
            m.gflops(),
            EncoderFlops.perImage(EncoderBenchmark.VIT_B_32) / 1e9,
            EncoderFlops.perText(EncoderBenchmark.VIT_B_32, 20) / 1e9,
            m.config().imageResolution(),
            m.decode(),
            m.pipelineThreads()));

    md.append("## Training: the continual-training job against the bare trainer loop\n\n")
        .append(
            "| steps | bare loop, steps/s | job, steps/s | job ÷ bare |\n| ---: | ---: | ---: | ---: |\n")
        .append(
            String.format(
                Locale.ROOT,
                "| %d | %.2f | %.2f | %.2f |%n%n",
                m.training().steps(),
                m.training().bareStepsPerSecond(),
                m.training().jobStepsPerSecond(),
                m.training().jobStepsPerSecond() / m.training().bareStepsPerSecond()));
    md.append(
        "Same images, captions and batches (32 stream pairs + 32 from the replay reservoir, every"
            + " 10th pair held out), gate off; the job reads them from Kafka, decodes and preprocesses them"
            + " and checkpoints every 5 s.\n");

    return md.toString();
  }

  /** {@code benchmarks.png}: throughput and p99 against the budget, per batch size. */
  static void chart(Path png, BenchmarkSuite.Plan plan, SuiteMeasurements m) throws IOException {
    Map<Integer, Double> bareAllImages = imageRates(m.bareAll(), false);
    Map<Integer, Double> bareImages = imageRates(m.bare(), false);
    Map<Integer, Double> batchMillis = imageRates(m.bare(), true);
    Map<Integer, Double> pipelineRates = new LinkedHashMap<>();
    Map<Integer, Double> p99 = new LinkedHashMap<>();
    Map<Integer, Double> budget = new LinkedHashMap<>();
    for (int b : plan.batchSizes()) {
      pipelineRates.put(b, m.sustained().get(b).eventsPerSecond());
      p99.put(b, (double) m.half().get(b).p99());
      budget.put(b, plan.maxWait().toMillis() + 2 * batchMillis.get(b));
    }
    BenchChart.write(
        png,
        "clipstream bench — " + m.engine(),
        List.of(
            new BenchChart.Series(
                "bare image encoder, " + m.allThreads() + " threads",
                new Color(0x7f7f7f),
                bareAllImages),
            new BenchChart.Series(
                "bare image encoder, " + m.pipelineThreads() + " thread(s)",
                new Color(0x1f77b4),
                bareImages),
            new BenchChart.Series("pipeline (sustained)", new Color(0xd62728), pipelineRates)),
        List.of(
            new BenchChart.Series("pipeline p99, in job", new Color(0xd62728), p99),
            new BenchChart.Series("max-wait + 2 batch forwards", new Color(0x7f7f7f), budget)));
  }

  /** Per batch size, the image tower's items/s (or its ms per batch). */
  private static Map<Integer, Double> imageRates(List<EncoderBenchmark.Row> rows, boolean millis) {
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (EncoderBenchmark.Row r : rows) {
      if (r.tower().equals("image")) {
        out.put(r.batchSize(), millis ? r.millisPerBatch() : r.itemsPerSecond());
      }
    }
    return out;
  }

  /** The thread CPU per event of the main batch size's sustained run. */
  private static String cpuNote(JobMetrics.CpuShare cpu, int batch) {
    return String.format(
        Locale.ROOT,
        "Thread CPU per event at batch %d, sustained (the job's forwardCpuNanos, taskCpuNanos and"
            + " taskCpuEvents from the encoder's first tenth of the events to the end; CPU time, so it"
            + " does not depend on the machine's load): the encoder's forward %.1f µs; everything"
            + " else on the task threads %.1f µs (the decoding task, from Kafka records to the"
            + " crop, %.1f; the encoding task's batching, labels, serialisation and sink, %.1f):"
            + " framework ÷ encoder CPU %.3f. The whole process, broker and bench clients"
            + " included, %.1f µs.%n%n",
        batch,
        cpu.forwardMicros(),
        cpu.frameworkMicros(),
        cpu.decodeMicros(),
        cpu.encodeTaskMicros(),
        cpu.ratio(),
        cpu.processMicros());
  }

  /** Mean and p99 of each stage histogram at 50% load (their last 1,024 events). */
  private static String stageTable(PipelineBenchmark.Paced paced) {
    StringBuilder md =
        new StringBuilder(
            "Per stage at 50% load, from the job's histograms (their last 1,024 events):\n\n"
                + "| stage | mean, ms | p99, ms |\n| --- | ---: | ---: |\n");
    for (PipelineBenchmark.Stage s : paced.stages()) {
      md.append(
          String.format(
              Locale.ROOT, "| %s | %.2f | %.2f |%n", s.name(), s.meanMillis(), s.p99Millis()));
    }
    return md.append('\n').toString();
  }
}
