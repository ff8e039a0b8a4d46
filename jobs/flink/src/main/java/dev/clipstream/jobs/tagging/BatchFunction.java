package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlMessage;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;

/** Turns a batch of inputs into one output each, in order (one forward pass of the model). */
public interface BatchFunction<IN, OUT> extends AutoCloseable {

  /** Processes a non-empty batch; the result has one element per input, in input order. */
  List<OUT> apply(List<IN> batch) throws Exception;

  /**
   * Takes a control message (a new label set, a new model) that arrived between batches; it may
   * apply it now or at the start of the next batch.
   */
  default void control(ControlMessage message) throws Exception {}

  /**
   * The control messages that make up the function's current (or pending) configuration, for the
   * operator's checkpoint; replayed through {@link #control} on restore.
   */
  default List<ControlMessage> controlState() {
    return List.of();
  }

  /**
   * Records on {@code out} when {@code in} was taken into its batch and when the batch's forward
   * pass started and ended (µs since the epoch), for the per-stage latency; by default nothing.
   */
  default void stamp(IN in, OUT out, long enqueuedAt, long forwardStart, long forwardEnd) {}

  @Override
  default void close() throws Exception {}

  /**
   * Made on the task manager in {@code open()}: heavy things (a model) load there, not in the job
   * graph.
   */
  @FunctionalInterface
  interface Factory<IN, OUT> extends Serializable {
    BatchFunction<IN, OUT> create(RuntimeContext context) throws Exception;
  }
}
