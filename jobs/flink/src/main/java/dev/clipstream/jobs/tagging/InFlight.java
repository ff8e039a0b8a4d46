package dev.clipstream.jobs.tagging;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * What {@link BatchEncode} has handed on but not yet emitted, in order: a batch on the forward
 * thread, or a watermark that must follow the results before it.
 */
final class InFlight<IN, OUT> {
  private final Future<Forward<OUT>> forward;
  private final Batch<IN> batch;
  private final Watermark watermark;

  private InFlight(Future<Forward<OUT>> forward, Batch<IN> batch, Watermark watermark) {
    this.forward = forward;
    this.batch = batch;
    this.watermark = watermark;
  }

  static <IN, OUT> InFlight<IN, OUT> batch(Batch<IN> batch, Future<Forward<OUT>> forward) {
    return new InFlight<>(forward, batch, null);
  }

  static <IN, OUT> InFlight<IN, OUT> watermark(Watermark mark) {
    return new InFlight<>(null, null, mark);
  }

  boolean isBatch() {
    return forward != null;
  }

  boolean isDone() {
    return forward == null || forward.isDone();
  }

  Batch<IN> batch() {
    return batch;
  }

  Watermark watermark() {
    return watermark;
  }

  /** The batch's forward pass, waiting for it; its failure rethrown as it was. */
  Forward<OUT> await() throws Exception {
    try {
      return forward.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
