package dev.clipstream.jobs.io;

import dev.clipstream.schemas.ImageEvent;

/** A decoded event together with the Kafka record it came from (for dead letters downstream). */
public class SourcedEvent {
  public ImageEvent event;
  public KafkaRecord source;

  /** For Flink's POJO serializer. */
  public SourcedEvent() {}

  public SourcedEvent(ImageEvent event, KafkaRecord source) {
    this.event = event;
    this.source = source;
  }
}
