package dev.clipstream.model.duplicates;

import dev.clipstream.model.features.Vectors;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last {@code capacity} image embeddings of each scope (a source, or one global scope), and the
 * check of a new embedding against them: the most similar earlier image, when its cosine similarity
 * reaches the threshold. Exact search: at window sizes of thousands and embedding widths of
 * hundreds this is a few hundred thousand multiply-adds per image.
 */
public final class NearDuplicateWindow implements Serializable {

  private static final long serialVersionUID = 1L;

  /** One remembered image. */
  public record Entry(String scope, String eventId, float[] embedding) implements Serializable {}

  /** An earlier image within the threshold. */
  public record Match(String eventId, float similarity) {}

  private final int capacity;
  private final float threshold;
  private final float maxDistanceRatio;
  private final Map<String, Deque<Entry>> scopes = new LinkedHashMap<>();

  public NearDuplicateWindow(int capacity, float threshold) {
    this(capacity, threshold, 1f);
  }

  /**
   * A window that also asks the closest earlier image to be distinctly the closest: its cosine
   * distance (1 - similarity) at most {@code maxDistanceRatio} times the second closest's, as
   * Lowe's ratio test matches image features. A repost is far nearer its original than any other
   * image; an image that is merely like many others (one more photo of a sandal) is not. 1 turns
   * the test off.
   */
  public NearDuplicateWindow(int capacity, float threshold, float maxDistanceRatio) {
    if (!(maxDistanceRatio > 0 && maxDistanceRatio <= 1)) {
      throw new IllegalArgumentException(
          "duplicates.max-distance-ratio must be in (0, 1]: " + maxDistanceRatio);
    }
    this.maxDistanceRatio = maxDistanceRatio;
    if (capacity <= 0) {
      throw new IllegalArgumentException("duplicates.window must be positive: " + capacity);
    }
    if (!(threshold > -1 && threshold <= 1)) {
      throw new IllegalArgumentException("duplicates.threshold must be in (-1, 1]: " + threshold);
    }
    this.capacity = capacity;
    this.threshold = threshold;
  }

  /** The closest earlier image of {@code scope} at or above the threshold, if any. */
  public Optional<Match> check(String scope, float[] embedding) {
    Deque<Entry> window = scopes.get(scope);
    if (window == null) {
      return Optional.empty();
    }
    Entry best = null;
    float bestSimilarity = Float.NEGATIVE_INFINITY;
    float secondSimilarity = Float.NEGATIVE_INFINITY;
    for (Entry e : window) {
      float s = Vectors.dot(e.embedding(), embedding);
      if (s > bestSimilarity) {
        secondSimilarity = bestSimilarity;
        bestSimilarity = s;
        best = e;
      } else if (s > secondSimilarity) {
        secondSimilarity = s;
      }
    }
    if (best == null || bestSimilarity < threshold) {
      return Optional.empty();
    }
    boolean distinct =
        secondSimilarity == Float.NEGATIVE_INFINITY
            || (1 - bestSimilarity) <= maxDistanceRatio * (1 - secondSimilarity);
    return distinct ? Optional.of(new Match(best.eventId(), bestSimilarity)) : Optional.empty();
  }

  /** Remembers an image, forgetting the oldest of its scope beyond the capacity. */
  public void add(String scope, String eventId, float[] embedding) {
    Deque<Entry> window = scopes.computeIfAbsent(scope, s -> new ArrayDeque<>());
    window.addLast(new Entry(scope, eventId, embedding.clone()));
    while (window.size() > capacity) {
      window.removeFirst();
    }
  }

  /** Checks, then remembers: the streaming step. */
  public Optional<Match> checkAndAdd(String scope, String eventId, float[] embedding) {
    Optional<Match> match = check(scope, embedding);
    add(scope, eventId, embedding);
    return match;
  }

  /** Every remembered image, oldest first per scope: what a checkpoint keeps. */
  public List<Entry> entries() {
    List<Entry> all = new ArrayList<>();
    scopes.values().forEach(all::addAll);
    return all;
  }

  /** Puts back what {@link #entries()} returned. */
  public void restore(List<Entry> entries) {
    scopes.clear();
    for (Entry e : entries) {
      add(e.scope(), e.eventId(), e.embedding());
    }
  }

  public float threshold() {
    return threshold;
  }
}
