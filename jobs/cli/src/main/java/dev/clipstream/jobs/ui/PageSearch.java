package dev.clipstream.jobs.ui;

import dev.clipstream.jobs.cli.QueryEmbedder;
import dev.clipstream.jobs.index.IndexError;
import dev.clipstream.jobs.index.IndexHit;
import dev.clipstream.jobs.index.IndexQuery;
import dev.clipstream.jobs.index.IndexSearch;
import dev.clipstream.jobs.index.IndexStats;
import dev.clipstream.model.ClipModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The page's searches: the same embedding ({@link QueryEmbedder}) and the same index search ({@link
 * IndexSearch}) as {@code clipstream search}, with the model loaded once. Each search opens the
 * index's visible commit afresh, so it sees what the index job's last checkpoint published.
 */
final class PageSearch implements AutoCloseable {
  private final ClipModel model;
  private final String modelVersion;
  private final Path index;

  /** Searches {@code index} with queries embedded by {@code model}, known there as its version. */
  PageSearch(ClipModel model, String modelVersion, Path index) {
    this.model = model;
    this.modelVersion = modelVersion;
    this.index = index;
  }

  String modelVersion() {
    return modelVersion;
  }

  List<IndexHit> text(String text, int k) throws IOException {
    checkK(k);
    float[] vector;
    synchronized (model) {
      vector = QueryEmbedder.text(model, text == null ? "" : text);
    }
    return nearest(vector, k);
  }

  List<IndexHit> image(byte[] encoded, int k) throws IOException {
    checkK(k);
    float[] vector;
    synchronized (model) {
      vector = QueryEmbedder.image(model, encoded, "the uploaded image");
    }
    return nearest(vector, k);
  }

  /** The nearest images to the one of {@code eventId}, itself first. */
  List<IndexHit> similar(String eventId, int k) throws IOException {
    checkK(k);
    if (eventId == null || eventId.isBlank()) {
      throw new IndexError("no event id: click an image to find similar ones");
    }
    try (IndexSearch search = IndexSearch.open(index)) {
      float[] vector =
          search
              .vector(eventId, modelVersion)
              .orElseThrow(
                  () ->
                      new IndexError(
                          "the index holds no vector of event "
                              + eventId
                              + " by model "
                              + modelVersion
                              + " (not indexed yet?)"));
      return search.search(IndexQuery.nearest(vector, modelVersion, k));
    }
  }

  IndexStats stats() throws IOException {
    try (IndexSearch search = IndexSearch.open(index)) {
      return search.stats();
    }
  }

  private List<IndexHit> nearest(float[] vector, int k) throws IOException {
    try (IndexSearch search = IndexSearch.open(index)) {
      return search.search(IndexQuery.nearest(vector, modelVersion, k));
    }
  }

  /** Refused before the model runs: the same bounds {@link IndexQuery} holds to. */
  private static void checkK(int k) {
    if (k < 1 || k > IndexQuery.MAX_K) {
      throw new IndexError("k must be between 1 and " + IndexQuery.MAX_K + ", not " + k);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
