package dev.clipstream.jobs.tagging;

import java.util.ArrayDeque;
import java.util.concurrent.Future;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * What {@link BatchEncode} has handed to the forward thread and not yet emitted — batches, and the
 * watermarks that must follow their results — emitted oldest first, on the task thread. It counts
 * the batches in flight against the slots {@link BatchingOptions#inFlight} allows.
 */
final class InFlightQueue<IN, OUT> {
  /** Where the queue's entries go when they are emitted. */
  interface Emitter<IN, OUT> {
    void batch(Batch<IN> batch, Forward<OUT> done) throws Exception;

    void watermark(Watermark mark) throws Exception;
  }

  private final ArrayDeque<InFlight<IN, OUT>> entries = new ArrayDeque<>();
  private final int slots;
  private final Emitter<IN, OUT> emitter;
  private int batches;

  InFlightQueue(int slots, Emitter<IN, OUT> emitter) {
    this.slots = slots;
    this.emitter = emitter;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Every slot has a batch in flight: another must wait for the oldest. */
  boolean isFull() {
    return batches >= slots;
  }

  /** Waits for and emits the oldest entries until a slot is free for another batch. */
  void makeRoom() throws Exception {
    while (isFull()) {
      emitHead();
    }
  }

  void addBatch(Batch<IN> batch, Future<Forward<OUT>> forward) {
    entries.add(InFlight.batch(batch, forward));
    batches++;
  }

  void addWatermark(Watermark mark) {
    entries.add(InFlight.watermark(mark));
  }

  /** Emits the entries at the head whose forward pass is done, without waiting. */
  void emitDone() throws Exception {
    while (!entries.isEmpty() && entries.peek().isDone()) {
      emitHead();
    }
  }

  /** Waits for every batch in flight and emits it, and the watermarks behind it, in order. */
  void drain() throws Exception {
    while (!entries.isEmpty()) {
      emitHead();
    }
  }

  /** Emits the oldest entry, waiting for its forward pass if it is a batch. */
  private void emitHead() throws Exception {
    InFlight<IN, OUT> head = entries.poll();
    if (head.isBatch()) {
      batches--;
      emitter.batch(head.batch(), head.await());
    } else {
      emitter.watermark(head.watermark());
    }
  }
}
