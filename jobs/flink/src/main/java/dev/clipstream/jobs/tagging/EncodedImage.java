package dev.clipstream.jobs.tagging;

/**
 * An event after the encoder: its normalised image (and caption) embedding, its top zero-shot
 * labels with their probabilities, and the model and label-set versions that made them.
 */
public class EncodedImage {
  public String eventId;
  public long eventTime;
  public String modelVersion;
  public float[] imageEmbedding;
  public float[] captionEmbedding;
  public String labelSet;
  public long labelSetVersion;

  /** The top labels, best first. */
  public String[] labels;

  /** Their probabilities under the label set's softmax, in the same order. */
  public float[] scores;

  /** The event's {@code source} field: who produced it. */
  public String producer;

  /** A recent event this image nearly duplicates (null if none), and the cosine similarity. */
  public String duplicateOf;

  public float duplicateSimilarity;

  /** The event's caption (null if none) and the crop's small JPEG (null when off), passed on. */
  public String caption;

  public byte[] thumbnail;

  /** When the event passed each stage up to its forward pass. */
  public dev.clipstream.jobs.io.StageTimes times;

  /** For Flink's POJO serializer. */
  public EncodedImage() {}

  public EncodedImage(
      String eventId,
      long eventTime,
      String modelVersion,
      float[] imageEmbedding,
      float[] captionEmbedding) {
    this.eventId = eventId;
    this.eventTime = eventTime;
    this.modelVersion = modelVersion;
    this.imageEmbedding = imageEmbedding;
    this.captionEmbedding = captionEmbedding;
  }
}
