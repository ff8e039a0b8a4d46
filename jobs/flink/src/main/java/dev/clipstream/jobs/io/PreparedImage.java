package dev.clipstream.jobs.io;

/**
 * An event whose image has been decoded and preprocessed: the CLIP input tensor ({@code [3, size,
 * size]}, channel-major), the caption if any, and the Kafka record it came from.
 */
public class PreparedImage {
  public String eventId;
  public long eventTime;
  public String caption;
  public int size;
  public float[] pixels;
  public KafkaRecord source;

  /** The event's {@code source} field: who produced it (the near-duplicate scope). */
  public String producer;

  /** The label the producer says the image shows (the event's {@code label}), if any. */
  public String label;

  /** A small JPEG of the crop ({@code results.thumbnail-size}), or null when they are off. */
  public byte[] thumbnail;

  /** When the event was read and decoded (the later stages are added on the way). */
  public StageTimes times;

  /** For Flink's POJO serializer. */
  public PreparedImage() {}

  public PreparedImage(
      String eventId,
      long eventTime,
      String caption,
      int size,
      float[] pixels,
      KafkaRecord source) {
    this.eventId = eventId;
    this.eventTime = eventTime;
    this.caption = caption;
    this.size = size;
    this.pixels = pixels;
    this.source = source;
  }
}
