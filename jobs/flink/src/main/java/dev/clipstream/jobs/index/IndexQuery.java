package dev.clipstream.jobs.index;

import java.util.Optional;

/**
 * One search: a query embedding (L2-normalised, made by the model {@code modelVersion} names), the
 * number of hits, and optional filters on the top label and the event time.
 *
 * @param candidates how many nearest neighbours HNSW collects before the best {@code k} are kept;
 *     more costs time and raises recall (docs/search.md)
 */
public record IndexQuery(
    float[] vector,
    String modelVersion,
    int k,
    Optional<String> label,
    Optional<Long> sinceMillis,
    int candidates) {

  /** Most hits one query returns. */
  public static final int MAX_K = 1000;

  /** HNSW candidates by default: measured in docs/search.md. */
  public static final int DEFAULT_CANDIDATES = 100;

  public IndexQuery {
    if (k < 1 || k > MAX_K) {
      throw new IndexError("k must be between 1 and " + MAX_K + ", not " + k);
    }
    if (vector.length == 0) {
      throw new IndexError("the query embedding is empty");
    }
    candidates = Math.max(k, candidates);
  }

  /** Nearest {@code k} of {@code modelVersion}'s vectors, no filters. */
  public static IndexQuery nearest(float[] vector, String modelVersion, int k) {
    return new IndexQuery(
        vector, modelVersion, k, Optional.empty(), Optional.empty(), DEFAULT_CANDIDATES);
  }
}
