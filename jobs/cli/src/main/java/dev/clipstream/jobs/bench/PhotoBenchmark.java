package dev.clipstream.jobs.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.BatchingOptions;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.EncoderBenchmark;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.preprocess.DecodeBenchmark;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.zeroshot.LabelSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real-size row: a ViT-B/32-sized model (random weights, seed 0) at 224 px on JPEG photos of
 * several sizes, through the whole tagging job (Kafka, decode, preprocess, batch, encode, label,
 * exactly-once sink) against the bare image encoder on the same photos, preprocessed the same way,
 * at the same intra-op threads, in one run.
 */
public final class PhotoBenchmark {

  /** The photos' labels: the job scores each image against these, as a user's label set. */
  static final List<String> LABELS =
      List.of("astronaut", "rocket", "flag", "cup of coffee", "camera", "cat", "dog", "car");

  /** One measurement at one batch size. */
  public record Result(
      int batchSize,
      List<String> photos,
      int events,
      double bareImagesPerSecond,
      double bareMillisPerBatch,
      double pipelineEventsPerSecond,
      double pipelineOnTaskThreadEventsPerSecond,
      int intraOpThreads,
      JobMetrics.CpuShare cpu) {
    /**
     * The job with its forward pass on a thread of its own (the default), over the bare encoder.
     */
    public double ratio() {
      return pipelineEventsPerSecond / bareImagesPerSecond;
    }

    /** The job with its forward pass on the task thread ({@code batch.in-flight} 0). */
    public double onTaskThreadRatio() {
      return pipelineOnTaskThreadEventsPerSecond / bareImagesPerSecond;
    }
  }

  private PhotoBenchmark() {}

  /**
   * Saves the random ViT-B/32 into {@code work}, times its bare image encoder on the photos, then
   * runs the job on {@code events} of them waiting in Kafka.
   */
  public static Result run(
      EmbeddedKafka kafka,
      Path work,
      int batchSize,
      int events,
      int iterations,
      java.io.PrintWriter log)
      throws Exception {
    List<DecodeBenchmark.Photo> photos = DecodeBenchmark.jpegs();
    Path weights = work.resolve("vit-b-32-random.safetensors");
    log.printf("bench: photos: saving a random ViT-B/32 ...%n");
    log.flush();
    try (ClipModel model = ClipModel.initialise(EncoderBenchmark.VIT_B_32, 0)) {
      model.save(weights, Map.of("source", "random initialisation, seed 0 (benchmark)"));
    }
    int side = EncoderBenchmark.VIT_B_32.imageResolution();
    log.printf("bench: photos: bare image encoder, batch %d ...%n", batchSize);
    log.flush();
    double[] bare;
    try (ClipModel model = ClipModel.load(weights, LoadOptions.defaults())) {
      bare = bare(model, photos, batchSize, iterations);
    }
    log.printf("bench: photos: pipeline, batch %d, %d events ...%n", batchSize, events);
    log.flush();
    PipelineBenchmark pipeline =
        new PipelineBenchmark(
            kafka,
            photos.stream().map(DecodeBenchmark.Photo::bytes).toList(),
            weights.toString(),
            side,
            LabelSet.of("photos", 1, LABELS));
    PipelineBenchmark.Sustained sustained =
        pipeline.sustained(new BatchingOptions(batchSize, Duration.ofMillis(50), 1), events);
    log.printf("bench: photos: pipeline, forward on the task thread (batch.in-flight 0) ...%n");
    log.flush();
    PipelineBenchmark.Sustained onTaskThread =
        pipeline.sustained(new BatchingOptions(batchSize, Duration.ofMillis(50), 0), events);
    return new Result(
        batchSize,
        photos.stream().map(DecodeBenchmark.Photo::name).toList(),
        events,
        bare[0],
        bare[1],
        sustained.eventsPerSecond(),
        onTaskThread.eventsPerSecond(),
        ai.djl.pytorch.jni.JniUtils.getNumThreads(),
        sustained.cpu());
  }

  /** Images/s and ms per batch of the image encoder alone on batches of the photos' tensors. */
  private static double[] bare(
      ClipModel model, List<DecodeBenchmark.Photo> photos, int batchSize, int iterations) {
    int side = model.config().imageResolution();
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(side));
    int n = 3 * side * side;
    float[] batch = new float[batchSize * n];
    for (int i = 0; i < batchSize; i++) {
      float[] chw =
          ((ImagePreprocessor.Pixels)
                  preprocessor.preprocess(photos.get(i % photos.size()).bytes()))
              .chw();
      System.arraycopy(chw, 0, batch, i * n, n);
    }
    long nanos = 0;
    for (int i = -2; i < iterations; i++) { // two warm-up batches
      try (NDManager manager = model.newBatchManager()) {
        NDArray input = manager.create(batch, new Shape(batchSize, 3, side, side));
        long start = System.nanoTime();
        model.encodeImage(input).toFloatArray();
        if (i >= 0) {
          nanos += System.nanoTime() - start;
        }
      }
    }
    double seconds = nanos / 1e9;
    return new double[] {batchSize * iterations / seconds, 1000 * seconds / iterations};
  }
}
