package dev.clipstream.jobs.tagging;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * What {@link BatchEncode} has handed on but not yet emitted, in order: a batch on the forward
 * thread, or a watermark that must follow the results before it.
 */
final class InFlight<OUT> {
  private final Future<ForwardThread.Done<OUT>> batch;
  private final Stamps stamps;
  private final Watermark watermark;

  private InFlight(Future<ForwardThread.Done<OUT>> batch, Stamps stamps, Watermark watermark) {
    this.batch = batch;
    this.stamps = stamps;
    this.watermark = watermark;
  }

  static <OUT> InFlight<OUT> batch(Future<ForwardThread.Done<OUT>> batch, Stamps stamps) {
    return new InFlight<>(batch, stamps, null);
  }

  static <OUT> InFlight<OUT> watermark(Watermark mark) {
    return new InFlight<>(null, null, mark);
  }

  boolean isBatch() {
    return batch != null;
  }

  boolean isDone() {
    return batch == null || batch.isDone();
  }

  Stamps stamps() {
    return stamps;
  }

  Watermark watermark() {
    return watermark;
  }

  /** The batch's results, waiting for its forward pass; its failure rethrown as it was. */
  ForwardThread.Done<OUT> await() throws Exception {
    try {
      return batch.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
