package dev.clipstream.jobs.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipstream.jobs.index.DirectIndexWriter;
import dev.clipstream.jobs.index.IndexQuery;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.TagResult;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad queries and bad indexes get a one-line {@code {"error": ...}} with a 4xx status from the
 * page's endpoints (the page shows that line; UiPageITCase checks it there).
 */
class PageErrorsITCase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafka.start();
    Pipelines.createTopics(kafka, Pipelines.TOPICS);
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  @Test
  void aMissingIndexIsOneLineOnEveryIndexQuery() throws Exception {
    Path nowhere = dir.resolve("nowhere");
    try (UiServer page = page(nowhere)) {
      for (String path : List.of("/api/search?text=bag", "/api/similar?id=demo-1")) {
        assertError(get(page, path), 400, "no index at " + nowhere);
      }
      JsonNode versions = JSON.readTree(get(page, "/api/versions").body());
      assertTrue(versions.get("indexError").asText().startsWith("no index at " + nowhere));
    }
  }

  @Test
  void anIndexOfANewerFormatIsRefusedInOneLine() throws Exception {
    Path newer = dir.resolve("newer");
    Files.createDirectories(newer.resolve("lucene"));
    try (FSDirectory d = FSDirectory.open(newer.resolve("lucene"));
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
      w.setLiveCommitData(
          Map.of("clipstream.index.format", "2", "clipstream.index.sequence", "1").entrySet());
      w.commit();
    }
    Files.writeString(newer.resolve("visible-commit"), "1");
    try (UiServer page = page(newer)) {
      assertError(get(page, "/api/search?text=bag"), 400, "written by a newer clipstream");
    }
  }

  @Test
  void badQueriesAreOneLineErrors() throws Exception {
    Path index = dir.resolve("index");
    try (DirectIndexWriter writer = new DirectIndexWriter(index)) {
      List<Float> unit = new ArrayList<>();
      int width = DefaultModel.manifest().path("config").path("embed_dim").asInt();
      for (int i = 0; i < width; i++) {
        unit.add(i == 0 ? 1f : 0f);
      }
      writer.upsert(
          TagResult.newBuilder()
              .setEventId("only")
              .setEventTime(Instant.ofEpochMilli(1))
              .setProcessingTime(Instant.ofEpochMilli(2))
              .setModelVersion(DefaultModel.version())
              .setImageEmbedding(unit)
              .setLabels(List.of(new LabelScore("Bag", 1f)))
              .setLabelSet("truth")
              .setLabelSetVersion(1)
              .build());
      writer.publish();
    }
    try (UiServer page = page(index)) {
      assertEquals(200, get(page, "/api/search?text=bag").statusCode(), "a good query is fine");
      assertError(
          get(page, "/api/search?text=" + URLEncoder.encode("  ", StandardCharsets.UTF_8)),
          400,
          "the search text is empty: give the words to search for");
      assertError(
          get(page, "/api/search?text=bag&k=0"), 400, "k must be between 1 and 1000, not 0");
      assertError(
          get(page, "/api/search?text=bag&k=10000"),
          400,
          "k must be between 1 and " + IndexQuery.MAX_K + ", not 10000");
      assertError(get(page, "/api/search?text=bag&k=ten"), 400, "k must be a whole number");
      assertError(
          post(page, "/api/search-image", "not really a png".getBytes(StandardCharsets.UTF_8)),
          400,
          "the uploaded image: ");
      assertError(
          get(page, "/api/similar?id=nobody"), 400, "the index holds no vector of event nobody");
      assertError(get(page, "/api/image?id=nobody"), 404, "no image of event nobody");
      assertError(get(page, "/api/nothing"), 404, "no such page");
    }
  }

  private static UiServer page(Path index) throws Exception {
    return UiServer.start(
        UiSettings.local(kafka.bootstrapServers(), Pipelines.TOPICS, index, 0),
        new PageSearchModel(DefaultModel.load(), DefaultModel.version()));
  }

  private static HttpResponse<String> get(UiServer page, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(page.url()).resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(UiServer page, String path, byte[] body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(page.url()).resolve(path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> response, int status, String contains)
      throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    String error = JSON.readTree(response.body()).get("error").asText();
    assertTrue(error.contains(contains), contains + " in: " + error);
    assertFalse(error.contains("\n"), "one line: " + error);
  }
}
