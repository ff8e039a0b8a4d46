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
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    String engine = DjlRuntime.describe().oneLine();

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
        photos =
            PhotoBenchmark.run(
                kafka,
                work,
                16,
                400,
                10,
                Duration.ofMillis(PipelineBenchmark.CHECKPOINT_MILLIS),
                log);
      }
      step("training: bare loop and job, " + plan.trainingSteps() + " steps each");
      training = TrainingBenchmark.run(kafka, pngs, captions, weights, work, plan.trainingSteps());
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }

    SuiteMeasurements m =
        new SuiteMeasurements(
            engine,
            allThreads,
            pipelineThreads,
            config,
            gflops,
            bare,
            bareAll,
            vit,
            decode,
            sustained,
            half,
            loads,
            training,
            photos);
    String md = BenchReport.markdown(plan, m);
    Files.writeString(out.resolve("benchmarks.md"), md);
    BenchReport.chart(out.resolve("benchmarks.png"), plan, m);
    return md;
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
