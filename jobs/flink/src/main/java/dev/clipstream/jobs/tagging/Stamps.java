package dev.clipstream.jobs.tagging;

import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/** The timestamps of a batch's input records, given to its results in the same order. */
final class Stamps {
  private static final long NONE = Long.MIN_VALUE;

  private final long[] timestamps;

  private Stamps(long[] timestamps) {
    this.timestamps = timestamps;
  }

  static Stamps of(List<? extends StreamRecord<?>> records) {
    long[] t = new long[records.size()];
    for (int i = 0; i < t.length; i++) {
      StreamRecord<?> r = records.get(i);
      t[i] = r.hasTimestamp() ? r.getTimestamp() : NONE;
    }
    return new Stamps(t);
  }

  int size() {
    return timestamps.length;
  }

  /** Result {@code i} with input {@code i}'s timestamp, if it had one. */
  <T> StreamRecord<T> record(T value, int i) {
    return timestamps[i] == NONE
        ? new StreamRecord<>(value)
        : new StreamRecord<>(value, timestamps[i]);
  }
}
