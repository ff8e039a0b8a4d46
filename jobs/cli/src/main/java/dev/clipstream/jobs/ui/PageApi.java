package dev.clipstream.jobs.ui;

import com.sun.net.httpserver.HttpExchange;
import dev.clipstream.jobs.index.IndexError;
import dev.clipstream.jobs.index.IndexHit;
import dev.clipstream.jobs.index.IndexStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The page's JSON endpoints: what each path answers, as values for the server to write. */
final class PageApi {
  /** Hits a search returns unless the page asks for another k. */
  static final int DEFAULT_K = 12;

  /** A JSON value, or raw bytes (a thumbnail) with their type. */
  record Reply(Object json, byte[] bytes, String contentType) {
    static Reply json(Object value) {
      return new Reply(value, null, null);
    }
  }

  private final LiveFeed feed;
  private final PageSearch search;

  PageApi(LiveFeed feed, PageSearch search) {
    this.feed = feed;
    this.search = search;
  }

  Reply answer(String path, HttpExchange exchange) throws IOException {
    Map<String, String> query = Requests.query(exchange);
    boolean post = "POST".equals(exchange.getRequestMethod());
    return switch (path) {
      case "/api/latest" -> Reply.json(latest());
      case "/api/search" ->
          Reply.json(hits("text", query.get("text"), search.text(query.get("text"), k(query))));
      case "/api/search-image" -> {
        if (!post) {
          throw new ApiError(405, "POST the image file to /api/search-image");
        }
        yield Reply.json(hits("image", null, search.image(Requests.body(exchange), k(query))));
      }
      case "/api/similar" ->
          Reply.json(hits("similar", query.get("id"), search.similar(query.get("id"), k(query))));
      case "/api/versions" -> Reply.json(versions());
      case "/api/series" -> Reply.json(Map.of("points", feed.series().points()));
      case "/api/dead-letters" ->
          Reply.json(
              Map.of(
                  "count", feed.state().deadLetterCount(),
                  "deadLetters", feed.state().deadLetters()));
      case "/api/image" -> {
        String id = query.getOrDefault("id", "");
        byte[] png =
            feed.thumbnails()
                .get(id)
                .orElseThrow(() -> new ApiError(404, "no image of event " + id + " was read"));
        yield new Reply(null, png, "image/png");
      }
      default -> throw new ApiError(404, "no such page: " + path);
    };
  }

  private static int k(Map<String, String> query) {
    return Requests.k(query, DEFAULT_K);
  }

  private Map<String, Object> latest() {
    FeedState state = feed.state();
    List<Map<String, Object>> shown = new ArrayList<>();
    for (FeedState.Shown s : state.latest(FeedState.GALLERY)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("eventId", s.eventId());
      m.put("eventTime", s.eventTime());
      m.put("modelVersion", s.modelVersion());
      m.put("labels", s.labels());
      m.put("labelSet", s.labelSet());
      m.put("labelSetVersion", s.labelSetVersion());
      m.put("unknown", s.unknown());
      m.put("duplicateOf", s.duplicateOf());
      m.put("image", feed.thumbnails().get(s.eventId()).isPresent());
      shown.add(m);
    }
    return Map.of(
        "results", shown,
        "resultCount", state.resultCount(),
        "deadLetterCount", state.deadLetterCount());
  }

  private Map<String, Object> hits(String kind, String query, List<IndexHit> hits) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (IndexHit h : hits) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("eventId", h.eventId());
      m.put("cosine", h.cosine());
      List<Map<String, Object>> labels = new ArrayList<>();
      h.labels().forEach(l -> labels.add(Map.of("name", l.name(), "score", l.score())));
      m.put("labels", labels);
      m.put("modelVersion", h.modelVersion());
      m.put("labelSet", h.labelSet());
      m.put("labelSetVersion", h.labelSetVersion());
      m.put("eventTime", h.eventTimeMillis());
      m.put("image", feed.thumbnails().get(h.eventId()).isPresent());
      out.add(m);
    }
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("kind", kind);
    reply.put("query", query);
    reply.put("modelVersion", search.modelVersion());
    reply.put("hits", out);
    return reply;
  }

  private Map<String, Object> versions() throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    FeedState.Shown newest = feed.state().newest();
    out.put("servedModel", newest == null ? null : newest.modelVersion());
    out.put("labelSet", newest == null ? null : newest.labelSet());
    out.put("labelSetVersion", newest == null ? null : newest.labelSetVersion());
    out.put("resultsPerModel", feed.state().perModelVersion());
    out.put("searchModel", search.modelVersion());
    out.put("unreadableRecords", feed.unreadable());
    try {
      IndexStats stats = search.stats();
      out.put(
          "index",
          Map.of(
              "commit", stats.commit(),
              "documents", stats.documents(),
              "events", stats.events(),
              "perModelVersion", stats.perModelVersion()));
    } catch (IndexError e) {
      out.put("indexError", e.getMessage());
    }
    return out;
  }
}
