package dev.clipstream.jobs.io;

/**
 * An event whose image has been decoded, resized and centre-cropped: what crosses the network into
 * the encoder. The image travels as its 8-bit RGB crop ({@code [3, size, size]}, channel-major,
 * before CLIP's mean/std normalisation, which the encoder applies as it assembles a batch: a
 * quarter of the float tensor's bytes), with the ids and metadata the result needs and where its
 * Kafka record is, not the record.
 */
public class PreparedImage {
  public String eventId;
  public long eventTime;
  public String caption;
  public int size;

  /**
   * The crop's 8-bit RGB values ({@link dev.clipstream.model.preprocess.ImagePreprocessor.Crop}).
   */
  public byte[] rgb;

  /** Where the event's Kafka record is, for a dead letter after this point. */
  public RecordOrigin origin;

  /**
   * The record's value, only where an operator after the decoder may still reject the event and
   * should dead-letter it whole ({@link DecodeImage#keepingPayloads}: the few teaching examples);
   * null on the tagging path, where nothing after the decoder rejects an event.
   */
  public byte[] payload;

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
      String eventId, long eventTime, String caption, int size, byte[] rgb, RecordOrigin origin) {
    this.eventId = eventId;
    this.eventTime = eventTime;
    this.caption = caption;
    this.size = size;
    this.rgb = rgb;
    this.origin = origin;
  }

  /** The CLIP input tensor of the crop, normalised with OpenAI's mean and standard deviation. */
  public float[] normalised() {
    float[] out = new float[rgb.length];
    dev.clipstream.model.preprocess.ImagePreprocessor.normaliseInto(rgb, out, 0);
    return out;
  }
}
