package dev.clipstream.jobs.tagging;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A batch handed to the forward pass: the inputs, their records' timestamps (given to the results
 * in the same order) and when each was taken in (for the stage times).
 */
final class Batch<IN> {
  private static final long NONE = Long.MIN_VALUE;

  private final List<IN> inputs;
  private final long[] timestamps;
  private final long[] enqueuedAt;

  private Batch(List<IN> inputs, long[] timestamps, long[] enqueuedAt) {
    this.inputs = inputs;
    this.timestamps = timestamps;
    this.enqueuedAt = enqueuedAt;
  }

  /** The buffered records, and the first {@code records.size()} of {@code enqueuedAt}. */
  static <IN> Batch<IN> of(List<StreamRecord<IN>> records, long[] enqueuedAt) {
    List<IN> inputs = new ArrayList<>(records.size());
    long[] t = new long[records.size()];
    for (int i = 0; i < t.length; i++) {
      StreamRecord<IN> r = records.get(i);
      inputs.add(r.getValue());
      t[i] = r.hasTimestamp() ? r.getTimestamp() : NONE;
    }
    return new Batch<>(inputs, t, java.util.Arrays.copyOf(enqueuedAt, t.length));
  }

  List<IN> inputs() {
    return inputs;
  }

  int size() {
    return inputs.size();
  }

  long enqueuedAt(int i) {
    return enqueuedAt[i];
  }

  /** Result {@code i} with input {@code i}'s timestamp, if it had one. */
  <T> StreamRecord<T> record(T value, int i) {
    return timestamps[i] == NONE
        ? new StreamRecord<>(value)
        : new StreamRecord<>(value, timestamps[i]);
  }
}
