package dev.clipstream.jobs.index;

import java.util.List;

/**
 * One search hit: the event, its cosine to the query, and what the tagging job said of it, with the
 * event's caption and the result's thumbnail JPEG when it had them (else null).
 */
public record IndexHit(
    String eventId,
    float cosine,
    String modelVersion,
    long eventTimeMillis,
    List<Label> labels,
    String labelSet,
    long labelSetVersion,
    String caption,
    byte[] thumbnail) {

  /** A hit without caption and thumbnail. */
  public IndexHit(
      String eventId,
      float cosine,
      String modelVersion,
      long eventTimeMillis,
      List<Label> labels,
      String labelSet,
      long labelSetVersion) {
    this(
        eventId,
        cosine,
        modelVersion,
        eventTimeMillis,
        labels,
        labelSet,
        labelSetVersion,
        null,
        null);
  }

  /** A kept zero-shot label with its score. */
  public record Label(String name, float score) {}

  /** The top label, or "" if the result had none. */
  public String topLabel() {
    return labels.isEmpty() ? "" : labels.get(0).name();
  }
}
