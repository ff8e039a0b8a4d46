package dev.clipstream.jobs.io;

import java.util.Objects;

/**
 * Where an event's Kafka record is — topic, partition, offset, timestamp — and how many bytes its
 * value had: what a later operator needs to dead-letter the event without carrying the value
 * itself, which the input topic keeps at that offset for its retention.
 */
public class RecordOrigin {
  public String topic;
  public int partition;
  public long offset;
  public long timestamp;

  /** The size of the record's value, written as a dead letter's original size when it is cut. */
  public int valueBytes;

  /** For Flink's POJO serializer. */
  public RecordOrigin() {}

  public RecordOrigin(String topic, int partition, long offset, long timestamp, int valueBytes) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.valueBytes = valueBytes;
  }

  /** The origin of {@code record}. */
  public static RecordOrigin of(KafkaRecord record) {
    return new RecordOrigin(
        record.topic,
        record.partition,
        record.offset,
        record.timestamp,
        record.value == null ? 0 : record.value.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordOrigin r
        && partition == r.partition
        && offset == r.offset
        && timestamp == r.timestamp
        && valueBytes == r.valueBytes
        && Objects.equals(topic, r.topic);
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
