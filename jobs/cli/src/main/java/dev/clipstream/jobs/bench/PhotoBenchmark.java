package dev.clipstream.jobs.bench;

import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.BatchingOptions;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.EncoderBenchmark;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.preprocess.DecodeBenchmark;
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
      Duration checkpointInterval,
      List<String> photos,
      int events,
      double bareImagesPerSecond,
      double bareMillisPerBatch,
      double bareCpuMillisPerImage,
      double besideDecodingImagesPerSecond,
      double besideDecodingCpuMillisPerImage,
      double decodeCpuMillisAlone,
      double decodeCpuMillisBesideForward,
      double pipelineEventsPerSecond,
      double pipelineProcessedPerSecond,
      double pipelineOnTaskThreadEventsPerSecond,
      int intraOpThreads,
      JobMetrics.CpuShare cpu,
      double jobMeanBatchSize,
      double jobForwardMillisPerBatch,
      double encoderDutyCycle) {
    /**
     * The job with its forward pass on a thread of its own (the default), over the bare encoder.
     */
    public double ratio() {
      return pipelineEventsPerSecond / bareImagesPerSecond;
    }

    /**
     * The job's processing rate (its output counter, not the commits) over the bare encoder: the
     * measure that holds when checkpoints, and so commits, are seconds apart.
     */
    public double processedRatio() {
      return pipelineProcessedPerSecond / bareImagesPerSecond;
    }

    /**
     * The bare encoder with the photos decoded beside it at its own rate, over the bare encoder
     * alone: what sharing the machine with the decoding costs the forward, job or no job.
     */
    public double besideDecodingRatio() {
      return besideDecodingImagesPerSecond / bareImagesPerSecond;
    }

    /** The job with its forward pass on the task thread ({@code batch.in-flight} 0). */
    public double onTaskThreadRatio() {
      return pipelineOnTaskThreadEventsPerSecond / bareImagesPerSecond;
    }
  }

  private PhotoBenchmark() {}

  /**
   * Saves the random ViT-B/32 into {@code work}, times its bare image encoder on the photos, then
   * runs the job on {@code events} of them waiting in Kafka, its exactly-once checkpoints every
   * {@code checkpointInterval}.
   */
  public static Result run(
      EmbeddedKafka kafka,
      Path work,
      int batchSize,
      int events,
      int iterations,
      Duration checkpointInterval,
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
    BareEncoder.Timing bare;
    BareEncoder.Timing beside;
    double decodeAlone;
    try (ClipModel model = ClipModel.load(weights, LoadOptions.defaults())) {
      BareEncoder encoder = new BareEncoder(model, photos, batchSize);
      bare = encoder.alone(iterations);
      log.printf(
          "bench: photos: bare image encoder with the photos decoded beside it at %.1f/s ...%n",
          bare.imagesPerSecond());
      log.flush();
      beside = encoder.besideDecoding(iterations, bare.imagesPerSecond());
      decodeAlone = encoder.decodeCpuMillisAlone(20);
    }
    log.printf("bench: photos: pipeline, batch %d, %d events ...%n", batchSize, events);
    log.flush();
    PipelineBenchmark pipeline =
        new PipelineBenchmark(
                kafka,
                photos.stream().map(DecodeBenchmark.Photo::bytes).toList(),
                weights.toString(),
                side,
                LabelSet.of("photos", 1, LABELS))
            .checkpointingEvery(checkpointInterval);
    PipelineBenchmark.Sustained sustained =
        pipeline.sustained(new BatchingOptions(batchSize, Duration.ofMillis(50), 1), events);
    log.printf("bench: photos: pipeline, forward on the task thread (batch.in-flight 0) ...%n");
    log.flush();
    PipelineBenchmark.Sustained onTaskThread =
        pipeline.sustained(new BatchingOptions(batchSize, Duration.ofMillis(50), 0), events);
    return new Result(
        batchSize,
        checkpointInterval,
        photos.stream().map(DecodeBenchmark.Photo::name).toList(),
        events,
        bare.imagesPerSecond(),
        bare.millisPerBatch(),
        bare.cpuMillisPerImage(),
        beside.imagesPerSecond(),
        beside.cpuMillisPerImage(),
        decodeAlone,
        beside.decodeCpuMillisPerImage(),
        sustained.eventsPerSecond(),
        sustained.processedPerSecond(),
        onTaskThread.eventsPerSecond(),
        ai.djl.pytorch.jni.JniUtils.getNumThreads(),
        sustained.cpu(),
        sustained.meanBatchSize(),
        sustained.meanForwardMillis(),
        sustained.dutyCycle());
  }
}
