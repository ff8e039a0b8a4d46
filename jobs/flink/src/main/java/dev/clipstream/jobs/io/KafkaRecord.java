package dev.clipstream.jobs.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record exactly as it arrived, before any decoding: where it came from and its value
 * bytes. Decoding happens in an operator, so a bad payload becomes a dead letter, not a failure.
 */
public class KafkaRecord {
  public String topic;
  public int partition;
  public long offset;
  public long timestamp;
  public byte[] value;

  /** When the source handed the record to the job, µs since the epoch ({@link StageTimes}). */
  public long readAtMicros;

  /** For Flink's POJO serializer. */
  public KafkaRecord() {}

  public KafkaRecord(String topic, int partition, long offset, long timestamp, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.value = value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaRecord r
        && partition == r.partition
        && offset == r.offset
        && timestamp == r.timestamp
        && Objects.equals(topic, r.topic)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
