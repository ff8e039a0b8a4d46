package dev.clipstream.jobs.bench;

import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.BatchingOptions;
import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.EncoderBenchmark;
import dev.clipstream.model.EncoderFlops;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.engine.DjlRuntime;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.zeroshot.LabelSet;
import java.awt.Color;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every benchmark in one process on the same model and images and writes the report: the bare
 * encoders, decoding, the pipeline (sustained and paced), the training side, FLOPs and the engine's
 * matrix-multiply rate; ratios between them.
 */
public final class BenchmarkSuite {

  /** How much to measure. */
  public record Plan(
      int[] batchSizes,
      int mainBatchSize,
      Duration maxWait,
      int sustainedEvents,
      Duration pacedFor,
      int encoderIterations,
      int trainingSteps,
      boolean vitB32) {
    public static Plan quick() {
      return new Plan(
          new int[] {4, 32, 64},
          32,
          Duration.ofMillis(50),
          3000,
          Duration.ofSeconds(10),
          10,
          30,
          false);
    }

    /** The same plan measuring the pipeline at {@code sizes} only (the first is the main one). */
    public Plan withBatchSizes(int[] sizes) {
      return new Plan(
          sizes,
          sizes[0],
          maxWait,
          sustainedEvents,
          pacedFor,
          encoderIterations,
          trainingSteps,
          vitB32);
    }

    public static Plan full() {
      return new Plan(
          new int[] {1, 4, 16, 32, 64},
          32,
          Duration.ofMillis(50),
          10000,
          Duration.ofSeconds(30),
          30,
          100,
          true);
    }
  }

  private final Plan plan;
  private final Path weights;
  private final List<byte[]> pngs;
  private final List<String> captions;
  private final LabelSet labels;
  private final PrintWriter log;

  /**
   * @param weights the served model (safetensors); training starts from it too
   * @param pngs real images as PNG bytes, with {@code captions} for the training side
   */
  public BenchmarkSuite(
      Plan plan,
      Path weights,
      List<byte[]> pngs,
      List<String> captions,
      LabelSet labels,
      PrintWriter log) {
    this.plan = plan;
    this.weights = weights;
    this.pngs = pngs;
    this.captions = captions;
    this.labels = labels;
    this.log = log;
  }

  /**
   * Runs everything and writes {@code benchmarks.md} and {@code benchmarks.png} into {@code out}.
   */
  public String run(Path out) throws Exception {
    Files.createDirectories(out);
    StringBuilder md = new StringBuilder();
    String engine = DjlRuntime.describe().oneLine();
    md.append("# clipstream bench\n\n")
        .append(engine)
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores\n\n");

    step("matrix multiply");
    double gflops = EncoderFlops.matmulGflops(1024, 5);

    step("bare encoders");
    // The pipeline runs its encoder with one intra-op thread fewer than the engine's default (one
    // per core): the last core is left to decoding, Kafka and Flink's own threads. Measured on two
    // cores: two PyTorch threads that share their cores with those threads lose more than the
    // second thread gives. The bare encoders are measured both ways.
    int allThreads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
    int pipelineThreads = Math.max(1, allThreads - 1);
    ClipConfig config;
    List<EncoderBenchmark.Row> bare = new ArrayList<>();
    List<EncoderBenchmark.Row> bareAll = new ArrayList<>();
    try (ClipModel model = ClipModel.load(weights, LoadOptions.defaults())) {
      config = model.config();
      bareAll.addAll(
          EncoderBenchmark.run(model, "served", plan.batchSizes(), 10, plan.encoderIterations()));
      ai.djl.pytorch.jni.JniUtils.setNumThreads(pipelineThreads);
      bare.addAll(
          EncoderBenchmark.run(model, "served", plan.batchSizes(), 10, plan.encoderIterations()));
    }
    List<EncoderBenchmark.Row> vit = new ArrayList<>();
    if (plan.vitB32()) {
      try (ClipModel model = ClipModel.initialise(EncoderBenchmark.VIT_B_32, 0)) {
        vit.addAll(EncoderBenchmark.run(model, "ViT-B/32", new int[] {1, 4, 16}, 1, 3));
      }
    }

    step("decode + preprocess");
    double decode = decodeRate(config.imageResolution());

    Map<Integer, PipelineBenchmark.Sustained> sustained = new LinkedHashMap<>();
    Map<Integer, PipelineBenchmark.Paced> half = new LinkedHashMap<>();
    List<PipelineBenchmark.Paced> loads = new ArrayList<>();
    TrainingBenchmark.Result training;
    PhotoBenchmark.Result photos = null;
    Path work = Files.createTempDirectory("clipstream-bench");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      PipelineBenchmark pipeline =
          new PipelineBenchmark(kafka, pngs, weights.toString(), config.imageResolution(), labels);
      for (int b : plan.batchSizes()) {
        step("pipeline, batch " + b + ": sustained");
        PipelineBenchmark.Sustained s =
            pipeline.sustained(new BatchingOptions(b, plan.maxWait()), plan.sustainedEvents());
        sustained.put(b, s);
        step("pipeline, batch " + b + ": 50% load");
        half.put(
            b,
            pipeline.paced(
                new BatchingOptions(b, plan.maxWait()),
                0.5 * s.eventsPerSecond(),
                plan.pacedFor()));
      }
      double main = sustained.get(plan.mainBatchSize()).eventsPerSecond();
      for (double share : new double[] {0.25, 0.9}) {
        step("pipeline, batch " + plan.mainBatchSize() + ": " + Math.round(share * 100) + "% load");
        loads.add(
            pipeline.paced(
                new BatchingOptions(plan.mainBatchSize(), plan.maxWait()),
                share * main,
                plan.pacedFor()));
      }
      loads.add(1, half.get(plan.mainBatchSize()));
      if (plan.vitB32()) {
        step("real size: ViT-B/32 at 224 px on JPEG photos");
        photos = PhotoBenchmark.run(kafka, work, 16, 400, 10, log);
      }
      step("training: bare loop and job, " + plan.trainingSteps() + " steps each");
      training = TrainingBenchmark.run(kafka, pngs, captions, weights, work, plan.trainingSteps());
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }

    // The report.
    md.append("## Throughput: pipeline against the bare image encoder\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "| batch size | bare encoder, %d threads, images/s | bare encoder, %d thread(s) |"
                    + " ms per batch | pipeline, events/s | pipeline ÷ bare, same threads |"
                    + " pipeline ÷ bare, %d threads | p99 in job at 50%% load, ms |"
                    + " max-wait + 2 batches, ms | framework ÷ encoder CPU |%n",
                allThreads,
                pipelineThreads,
                allThreads))
        .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    Map<Integer, Double> bareAllImages = new LinkedHashMap<>();
    for (EncoderBenchmark.Row r : bareAll) {
      if (r.tower().equals("image")) {
        bareAllImages.put(r.batchSize(), r.itemsPerSecond());
      }
    }
    Map<Integer, Double> bareImages = new LinkedHashMap<>();
    Map<Integer, Double> batchMillis = new LinkedHashMap<>();
    for (EncoderBenchmark.Row r : bare) {
      if (r.tower().equals("image")) {
        bareImages.put(r.batchSize(), r.itemsPerSecond());
        batchMillis.put(r.batchSize(), r.millisPerBatch());
      }
    }
    for (int b : plan.batchSizes()) {
      double ratio = sustained.get(b).eventsPerSecond() / bareImages.get(b);
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %,.0f | %,.0f | %.1f | %,.0f | %.2f | %.2f | %d | %.0f | %.3f |%n",
              b,
              bareAllImages.get(b),
              bareImages.get(b),
              batchMillis.get(b),
              sustained.get(b).eventsPerSecond(),
              ratio,
              sustained.get(b).eventsPerSecond() / bareAllImages.get(b),
              half.get(b).p99(),
              plan.maxWait().toMillis() + 2 * batchMillis.get(b),
              sustained.get(b).cpu().ratio()));
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
            config.imageResolution(),
            config.imageResolution()));
    md.append(cpuNote(sustained.get(plan.mainBatchSize()).cpu(), plan.mainBatchSize()));

    if (photos != null) {
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
                  String.join(", ", photos.photos()),
                  photos.batchSize(),
                  photos.intraOpThreads(),
                  photos.bareImagesPerSecond(),
                  photos.bareMillisPerBatch(),
                  photos.besideDecodingRatio(),
                  photos.pipelineEventsPerSecond(),
                  photos.ratio(),
                  photos.cpu().ratio(),
                  photos.pipelineOnTaskThreadEventsPerSecond(),
                  photos.onTaskThreadRatio()))
          .append(
              String.format(
                  Locale.ROOT,
                  "The whole job (Kafka, decode, preprocess, batch, encode, label, exactly-once sink)"
                      + " on %,d JPEG events waiting before it starts, against the bare image encoder"
                      + " on the same photos' tensors.%n%n",
                  photos.events()));
    }

    md.append("## Latency at batch ")
        .append(plan.mainBatchSize())
        .append("\n\n")
        .append(
            "| load | offered events/s | events | p50 in job, ms | p95 | p99 | p50 committed, ms | p99 committed |\n")
        .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    String[] shares = {"25%", "50%", "90%"};
    for (int i = 0; i < loads.size(); i++) {
      PipelineBenchmark.Paced p = loads.get(i);
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
    md.append(stageTable(half.get(plan.mainBatchSize())));

    md.append("## Encoders, decoding, FLOPs\n\n")
        .append(
            "| model | tower | threads | batch | items/s | ms per batch | GFLOP per item |"
                + " achieved GFLOP/s |\n")
        .append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    List<EncoderBenchmark.Row> all = new ArrayList<>(bareAll);
    all.addAll(bare);
    all.addAll(vit);
    for (EncoderBenchmark.Row r : all) {
      ClipConfig c = r.model().equals("ViT-B/32") ? EncoderBenchmark.VIT_B_32 : config;
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
            gflops,
            EncoderFlops.perImage(EncoderBenchmark.VIT_B_32) / 1e9,
            EncoderFlops.perText(EncoderBenchmark.VIT_B_32, 20) / 1e9,
            config.imageResolution(),
            decode,
            pipelineThreads));

    md.append("## Training: the continual-training job against the bare trainer loop\n\n")
        .append(
            "| steps | bare loop, steps/s | job, steps/s | job ÷ bare |\n| ---: | ---: | ---: | ---: |\n")
        .append(
            String.format(
                Locale.ROOT,
                "| %d | %.2f | %.2f | %.2f |%n%n",
                training.steps(),
                training.bareStepsPerSecond(),
                training.jobStepsPerSecond(),
                training.jobStepsPerSecond() / training.bareStepsPerSecond()));
    md.append(
        "Same images, captions and batches (32 stream pairs + 32 from the replay reservoir, every"
            + " 10th pair held out), gate off; the job reads them from Kafka, decodes and preprocesses them"
            + " and checkpoints every 5 s.\n");

    Files.writeString(out.resolve("benchmarks.md"), md.toString());
    Map<Integer, Double> pipelineRates = new LinkedHashMap<>();
    Map<Integer, Double> p99 = new LinkedHashMap<>();
    Map<Integer, Double> budget = new LinkedHashMap<>();
    for (int b : plan.batchSizes()) {
      pipelineRates.put(b, sustained.get(b).eventsPerSecond());
      p99.put(b, (double) half.get(b).p99());
      budget.put(b, plan.maxWait().toMillis() + 2 * batchMillis.get(b));
    }
    BenchChart.write(
        out.resolve("benchmarks.png"),
        "clipstream bench — " + engine,
        List.of(
            new BenchChart.Series(
                "bare image encoder, " + allThreads + " threads",
                new Color(0x7f7f7f),
                bareAllImages),
            new BenchChart.Series(
                "bare image encoder, " + pipelineThreads + " thread(s)",
                new Color(0x1f77b4),
                bareImages),
            new BenchChart.Series("pipeline (sustained)", new Color(0xd62728), pipelineRates)),
        List.of(
            new BenchChart.Series("pipeline p99, in job", new Color(0xd62728), p99),
            new BenchChart.Series("max-wait + 2 batch forwards", new Color(0x7f7f7f), budget)));
    return md.toString();
  }

  /** The thread CPU per event of the main batch size's sustained run. */
  private static String cpuNote(JobMetrics.CpuShare cpu, int batch) {
    return String.format(
        Locale.ROOT,
        "Thread CPU per event at batch %d, sustained (the job's forwardCpuNanos and taskCpuNanos"
            + " over the same window; CPU time, so it does not depend on the machine's load): the"
            + " encoder's forward %.1f µs, everything else on the task threads (Kafka records,"
            + " decode, preprocess, batching, labels, serialisation, sink) %.1f µs:"
            + " framework ÷ encoder CPU %.3f.%n%n",
        batch,
        cpu.forwardMicros(),
        cpu.frameworkMicros(),
        cpu.ratio());
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

  private double decodeRate(int size) {
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(size));
    for (int i = 0; i < 200; i++) {
      preprocessor.preprocess(pngs.get(i % pngs.size()));
    }
    int n = 2000;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      preprocessor.preprocess(pngs.get(i % pngs.size()));
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private void step(String what) {
    log.printf("bench: %s ...%n", what);
    log.flush();
  }
}
