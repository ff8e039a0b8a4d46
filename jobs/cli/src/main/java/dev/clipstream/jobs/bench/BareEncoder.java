package dev.clipstream.jobs.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.preprocess.DecodeBenchmark;
import dev.clipstream.model.preprocess.DecodeScratch;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The image encoder alone on batches of the photos' tensors: images/s, ms per batch and the calling
 * thread's CPU per image (with one intra-op thread the whole forward runs on it, the same count as
 * the job's {@code forwardCpuNanos}). Optionally with the photos being decoded beside it on another
 * thread, at a given rate, as the job's decode task does for the batches it feeds; and that
 * decoding's own CPU per photo, beside the forward and alone, which tells what sharing the machine
 * costs the decoding, job or no job.
 */
final class BareEncoder {

  /**
   * One timing of the bare encoder; with photos decoded beside it, also the decoding thread's CPU
   * per photo meanwhile (NaN when none were).
   */
  record Timing(
      double imagesPerSecond,
      double millisPerBatch,
      double cpuMillisPerImage,
      double decodeCpuMillisPerImage) {}

  private final ClipModel model;
  private final List<DecodeBenchmark.Photo> photos;
  private final int batchSize;
  private final float[] batch;

  BareEncoder(ClipModel model, List<DecodeBenchmark.Photo> photos, int batchSize) {
    this.model = model;
    this.photos = photos;
    this.batchSize = batchSize;
    int side = model.config().imageResolution();
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(side));
    int n = 3 * side * side;
    this.batch = new float[batchSize * n];
    for (int i = 0; i < batchSize; i++) {
      float[] chw =
          ((ImagePreprocessor.Pixels)
                  preprocessor.preprocess(photos.get(i % photos.size()).bytes()))
              .chw();
      System.arraycopy(chw, 0, batch, i * n, n);
    }
  }

  /** {@code iterations} timed batches after two warm-up ones. */
  Timing alone(int iterations) {
    return time(iterations);
  }

  /**
   * The calling thread's CPU per photo to decode it and crop it to the encoder's input (the job's
   * decoding, without Kafka, thumbnail or serialisation), with nothing else running: {@code rounds}
   * times over the photos after one warm-up round.
   */
  double decodeCpuMillisAlone(int rounds) {
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(PreprocessOptions.defaults(model.config().imageResolution()));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = 0;
    try (DecodeScratch scratch = new DecodeScratch()) {
      for (int r = -1; r < rounds; r++) {
        long start = threads.getCurrentThreadCpuTime();
        for (DecodeBenchmark.Photo photo : photos) {
          preprocessor.crop(photo.bytes(), scratch);
        }
        if (r >= 0) {
          cpu += threads.getCurrentThreadCpuTime() - start;
        }
      }
    }
    return cpu / 1e6 / (rounds * photos.size());
  }

  /**
   * The same, while another thread decodes and preprocesses the photos in turn at {@code
   * decodesPerSecond} (paced, so it takes the share of the other core the job's decoding would).
   */
  Timing besideDecoding(int iterations, double decodesPerSecond) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong decodeCpu = new AtomicLong();
    AtomicLong decoded = new AtomicLong();
    int side = model.config().imageResolution();
    Thread decoder =
        new Thread(
            () -> {
              ImagePreprocessor preprocessor =
                  new ImagePreprocessor(PreprocessOptions.defaults(side));
              ThreadMXBean threads = ManagementFactory.getThreadMXBean();
              long interval = (long) (1e9 / decodesPerSecond);
              long next = System.nanoTime();
              try (DecodeScratch scratch = new DecodeScratch()) {
                for (int i = 0; !stop.get(); i++) {
                  long start = threads.getCurrentThreadCpuTime();
                  preprocessor.crop(photos.get(i % photos.size()).bytes(), scratch);
                  decodeCpu.addAndGet(threads.getCurrentThreadCpuTime() - start);
                  decoded.incrementAndGet();
                  next += interval;
                  LockSupport.parkNanos(next - System.nanoTime());
                }
              }
            },
            "bench-decode-beside");
    decoder.setDaemon(true);
    decoder.start();
    Timing forward;
    try {
      forward = time(iterations);
    } finally {
      stop.set(true);
      decoder.join();
    }
    return new Timing(
        forward.imagesPerSecond(),
        forward.millisPerBatch(),
        forward.cpuMillisPerImage(),
        decodeCpu.get() / 1e6 / Math.max(1, decoded.get()));
  }

  private Timing time(int iterations) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int side = model.config().imageResolution();
    long nanos = 0;
    long cpu = 0;
    for (int i = -2; i < iterations; i++) { // two warm-up batches
      try (NDManager manager = model.newBatchManager()) {
        NDArray input = manager.create(batch, new Shape(batchSize, 3, side, side));
        long startCpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        model.encodeImage(input).toFloatArray();
        if (i >= 0) {
          nanos += System.nanoTime() - start;
          cpu += threads.getCurrentThreadCpuTime() - startCpu;
        }
      }
    }
    double seconds = nanos / 1e9;
    int images = batchSize * iterations;
    return new Timing(
        images / seconds, 1000 * seconds / iterations, cpu / 1e6 / images, Double.NaN);
  }
}
