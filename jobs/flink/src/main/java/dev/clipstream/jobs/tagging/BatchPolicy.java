package dev.clipstream.jobs.tagging;

import java.time.Duration;

/**
 * How big a batch may grow and how long its first input may wait, batch by batch. Without a latency
 * target these are {@code batch.max-size} and {@code batch.max-wait}. With one ({@code
 * batch.latency-target}) the size follows the measured forward time: the largest size {@code n} (at
 * most max-size) whose predicted forward {@code f(n)} fits twice into the target, since an image
 * can sit behind the batch in progress and then ride in its own; the wait is what the target leaves
 * after those two forwards, at most max-wait. {@code f(n)} is {@code n} times the forward time per
 * image, smoothed over the batches so far; per image, a batch's fixed cost makes small batches look
 * dearer, so the size errs small and grows as larger batches are measured.
 */
final class BatchPolicy {

  /** Weight of the newest batch in the smoothed forward time per image. */
  static final double SMOOTHING = 0.3;

  private final BatchingOptions options;
  private double nanosPerImage = Double.NaN;

  BatchPolicy(BatchingOptions options) {
    this.options = options;
  }

  /** Whether the size follows a latency target. */
  boolean adaptive() {
    return !options.latencyTarget().isZero();
  }

  /** The batch is run once it holds this many inputs. */
  int size() {
    if (!adaptive()) {
      return options.maxSize();
    }
    if (Double.isNaN(nanosPerImage)) {
      return 1; // nothing measured yet: one image shows what a forward costs
    }
    double fits = options.latencyTarget().toNanos() / (2 * nanosPerImage);
    return (int) Math.max(1, Math.min(options.maxSize(), Math.floor(fits)));
  }

  /** The longest the batch's first input waits for it to fill. */
  Duration maxWait() {
    if (!adaptive() || Double.isNaN(nanosPerImage)) {
      return adaptive() ? Duration.ZERO : options.maxWait();
    }
    long left = options.latencyTarget().toNanos() - Math.round(2 * nanosPerImage * size());
    return Duration.ofNanos(Math.max(0, Math.min(options.maxWait().toNanos(), left)));
  }

  /** Takes the measured forward time of a batch of {@code batchSize} inputs. */
  void forwardTook(int batchSize, long nanos) {
    double perImage = nanos / (double) batchSize;
    nanosPerImage =
        Double.isNaN(nanosPerImage)
            ? perImage
            : SMOOTHING * perImage + (1 - SMOOTHING) * nanosPerImage;
  }

  /** The forward time per image the size follows, in ns (NaN before the first batch). */
  double nanosPerImage() {
    return nanosPerImage;
  }
}
