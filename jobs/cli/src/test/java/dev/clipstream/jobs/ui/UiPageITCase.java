package dev.clipstream.jobs.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clipstream.jobs.index.IndexHit;
import dev.clipstream.jobs.index.IndexJob;
import dev.clipstream.jobs.index.IndexOptions;
import dev.clipstream.jobs.index.IndexQuery;
import dev.clipstream.jobs.index.IndexSearch;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.PoisonInputs;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real browser (Debian's chromium, headless, over the DevTools protocol) against
 * the real pipeline: the embedded broker, the tagging and index jobs on a MiniCluster, the default
 * model, Fashion-MNIST images and two poison inputs. It checks what a user sees: the gallery's
 * labels are the committed results', a text search and a click on an image show what the index
 * finds, bad queries show their one-line error, and the dead letters show with their reasons.
 */
class UiPageITCase {
  static final int EVENTS = 60;
  static final int K = 12;
  static final TaggingTopics TOPICS = Pipelines.TOPICS;

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster();

  static final List<PoisonInputs.Case> POISON =
      List.of(
          PoisonInputs.get(PoisonInputs.RANDOM_BYTES), PoisonInputs.get(PoisonInputs.NOT_AN_IMAGE));

  @Test
  void showsTheLatestTagsSearchesAndDeadLettersInABrowser(@TempDir Path work) throws Exception {
    Optional<Path> chromium = HeadlessChromium.find();
    assumeTrue(
        chromium.isPresent(),
        "chromium is not installed, so the page's browser test is skipped"
            + " (Debian: apt-get install chromium; .ci/run installs it)");
    DemoImages images =
        new DemoImages(
            FashionMnist.load(
                    FashionMnist.Split.TEST,
                    new DatasetLocator(Optional.empty(), work.resolve("d")))
                .head(EVENTS));
    Path index = work.resolve("index");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Pipelines.createTopics(kafka, TOPICS);
      String bootstrap = kafka.bootstrapServers();
      try (UiServer page =
              UiServer.start(
                  UiSettings.local(bootstrap, TOPICS, index, 0),
                  new PageSearchModel(DefaultModel.load(), DefaultModel.version()));
          HeadlessChromium browser = HeadlessChromium.start(chromium.get(), work.resolve("p"))) {
        browser.open(page.url());
        // Before the index job has run, the page says so in one line instead of failing.
        String noIndex =
            await(browser, "document.querySelector('dd[data-name=index]')?.textContent");
        assertTrue(noIndex.startsWith("no index at " + index), noIndex);

        StreamExecutionEnvironment env = Pipelines.environment(500);
        KafkaOptions options = KafkaOptions.of(bootstrap);
        TaggingJob.onKafka(env, options, TOPICS, "ui-tagging", false, TaggingRuns.settings());
        IndexJob.onKafka(
            env,
            options,
            TOPICS.results(),
            "ui-index",
            false,
            IndexOptions.Settings.of(index.toString()));
        JobClient job = env.executeAsync("ui-page");
        try {
          KafkaTestClient client = new KafkaTestClient(bootstrap);
          // In ten bursts, so that the chart has seconds to show (the page's polling sees them).
          for (int from = 0; from < EVENTS; from += EVENTS / 10) {
            client.produce(
                TOPICS.input(), null, TaggingRuns.imageEvents(images, from, from + EVENTS / 10));
            Thread.sleep(700);
          }
          client.produce(
              TOPICS.input(), null, POISON.stream().map(PoisonInputs.Case::value).toList());
          Map<String, TagResult> committed = committed(client);

          galleryShowsTheCommittedLabels(browser, committed);
          waitForIndexedDocuments(browser);
          textSearchShowsWhatTheIndexFinds(browser, index, images);
          clickOnAnImageShowsItsNearestImages(browser, index, committed);
          imageSearchTakesAnUpload(browser, work, images);
          badQueriesShowTheirOneLineError(browser, work);
          deadLettersShowWithTheirReasons(browser);
          // The screenshot of the README: the gallery and the hits of a text search.
          browser.type("#q", "a photo of a sneaker.");
          browser.click("#go");
          await(
              browser,
              "document.querySelector('#hits-title').textContent.includes('sneaker') || null");
          Thread.sleep(1500); // one more poll, so the chart and the counts are drawn
          browser.screenshot(Path.of("target", "ui", "page.png"));
        } finally {
          job.cancel().get();
        }
      }
    }
  }

  private static Map<String, TagResult> committed(KafkaTestClient client) {
    SingleObjectCodec<TagResult> codec = SingleObjectCodec.of(TagResult.class);
    Map<String, TagResult> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r :
        client.readCommitted(TOPICS.results(), EVENTS, Duration.ofMinutes(10))) {
      TagResult t = codec.decode(r.value()).value();
      out.put(t.getEventId().toString(), t);
    }
    assertEquals(EVENTS, out.size(), "the tagging job committed a result per image");
    return out;
  }

  private static void galleryShowsTheCommittedLabels(
      HeadlessChromium browser, Map<String, TagResult> committed) throws Exception {
    await(
        browser,
        "document.querySelector('#counts').textContent === '"
            + EVENTS
            + " results, "
            + POISON.size()
            + " dead letters read' || null");
    // Images load: each card's picture decoded to the 28 px Fashion-MNIST image.
    await(
        browser,
        "(() => { const imgs = [...document.querySelectorAll('#gallery .card img')];"
            + " return (imgs.length === "
            + FeedState.GALLERY
            + " && imgs.every(i => i.complete && i.naturalWidth === 28)) || null; })()");
    JsonNode cards = cards(browser, "#gallery");
    assertEquals(FeedState.GALLERY, cards.size(), "the gallery shows the latest results");
    for (JsonNode card : cards) {
      TagResult expected = committed.get(card.get("id").asText());
      assertTrue(expected != null, "a card of a committed result: " + card);
      assertTrue(card.get("image").asBoolean(), "with its image: " + card);
      List<LabelScore> labels = expected.getLabels();
      assertEquals(labels.size(), card.get("labels").size(), card.toString());
      for (int i = 0; i < labels.size(); i++) {
        JsonNode shown = card.get("labels").get(i);
        assertEquals(labels.get(i).getLabel().toString(), shown.get("name").asText());
        assertEquals(labels.get(i).getScore(), (float) shown.get("score").asDouble(), 1e-6);
      }
    }
    String served =
        await(browser, "document.querySelector('dd[data-name=\"served model\"]').textContent");
    assertEquals(DefaultModel.version(), served);
    String labelSet =
        await(browser, "document.querySelector('dd[data-name=\"label set\"]').textContent");
    assertEquals("fashion-mnist@1", labelSet);
  }

  private static void waitForIndexedDocuments(HeadlessChromium browser) throws Exception {
    await(
        browser,
        "document.querySelector('dd[data-name=index]').textContent.startsWith('"
            + EVENTS
            + " documents') || null");
  }

  private static void textSearchShowsWhatTheIndexFinds(
      HeadlessChromium browser, Path index, DemoImages images) throws Exception {
    String text = "a photo of a trouser.";
    browser.type("#q", text);
    browser.type("#k", Integer.toString(K));
    browser.click("#go");
    await(browser, "document.querySelector('#hits-title').textContent.includes('trouser') || null");
    List<String> shown = ids(cards(browser, "#hits"));
    // The oracle: the same text embedded here by the model's own text tower, searched directly.
    float[] query;
    try (ClipModel model = DefaultModel.load();
        NDManager manager = model.newBatchManager()) {
      query =
          new ClipTextEmbedder(model, ClipTokenizer.load())
              .embed(manager, List.of(text))
              .toFloatArray();
    }
    assertEquals(nearest(index, query), shown, "the page shows the index's hits, best first");
    long trousers =
        shown.stream()
            .filter(
                id ->
                    images
                        .label(Integer.parseInt(id.substring("demo-".length())))
                        .orElseThrow()
                        .equals("Trouser"))
            .count();
    long available =
        java.util.stream.IntStream.range(0, EVENTS)
            .filter(n -> images.label(n).orElseThrow().equals("Trouser"))
            .count();
    assertTrue(
        trousers * 2 >= available,
        "most of the " + available + " trousers are among the hits: " + trousers);
    int first = Integer.parseInt(shown.get(0).substring("demo-".length()));
    assertEquals("Trouser", images.label(first).orElseThrow(), "the best hit is a trouser");
  }

  private static void clickOnAnImageShowsItsNearestImages(
      HeadlessChromium browser, Path index, Map<String, TagResult> committed) throws Exception {
    String clicked = browser.eval("document.querySelector('#gallery .card').dataset.id").asText();
    browser.click("#gallery .card img");
    await(
        browser,
        "document.querySelector('#hits-title').textContent.includes('similar to "
            + clicked
            + "') || null");
    JsonNode cards = cards(browser, "#hits");
    List<String> shown = ids(cards);
    assertEquals(clicked, shown.get(0), "the clicked image is its own nearest");
    assertEquals("cos 1.0000", cards.get(0).get("cos").asText());
    float[] embedding = unboxed(committed.get(clicked).getImageEmbedding());
    assertEquals(nearest(index, embedding), shown, "and the others are the index's nearest");
  }

  private static void imageSearchTakesAnUpload(
      HeadlessChromium browser, Path work, DemoImages images) throws Exception {
    Path png = work.resolve("upload.png");
    java.nio.ByteBuffer bytes = images.event(3).getImage();
    byte[] data = new byte[bytes.remaining()];
    bytes.duplicate().get(data);
    Files.write(png, data);
    browser.chooseFile("#file", png);
    await(
        browser,
        "document.querySelector('#hits-title').textContent.includes('upload.png') || null");
    assertEquals(
        DemoImages.id(3), ids(cards(browser, "#hits")).get(0), "an indexed image finds itself");
  }

  private static void badQueriesShowTheirOneLineError(HeadlessChromium browser, Path work)
      throws Exception {
    browser.type("#q", "a bag");
    for (int k : new int[] {0, 10_000}) {
      browser.type("#k", Integer.toString(k));
      browser.click("#go");
      assertEquals("k must be between 1 and " + IndexQuery.MAX_K + ", not " + k, error(browser));
    }
    browser.type("#k", Integer.toString(K));
    browser.type("#q", "");
    browser.pressEnter();
    assertEquals("the search text is empty: give the words to search for", error(browser));
    Path broken = work.resolve("broken.png");
    Files.writeString(broken, "not really a png");
    browser.chooseFile("#file", broken);
    String unreadable = error(browser);
    assertTrue(unreadable.startsWith("the uploaded image: "), unreadable);
    assertFalse(unreadable.contains("\n"), unreadable);
    // A good query clears the error.
    assertEquals(false, browser.eval("document.querySelector('#error').hidden").asBoolean());
    browser.type("#q", "a bag");
    browser.click("#go");
    await(browser, "document.querySelector('#error').hidden || null");
  }

  private static void deadLettersShowWithTheirReasons(HeadlessChromium browser) throws Exception {
    await(
        browser,
        "document.querySelectorAll('#dead tbody tr').length === " + POISON.size() + " || null");
    JsonNode rows =
        browser.eval(
            "[...document.querySelectorAll('#dead tbody tr')].map(tr =>"
                + " [...tr.cells].map(c => c.textContent))");
    for (PoisonInputs.Case poison : POISON) {
      boolean found = false;
      for (JsonNode row : rows) {
        found |=
            row.get(1).asText().equals(poison.expected().stage().toString())
                && row.get(2).asText().contains(poison.expected().reasonContains());
      }
      assertTrue(found, poison + " shows with its stage and reason in " + rows);
    }
  }

  /** The error line the page shows, once it shows one. */
  private static String error(HeadlessChromium browser) throws Exception {
    String line =
        await(
            browser,
            "(() => { const e = document.querySelector('#error');"
                + " return e.hidden || e.textContent === '' ? null : e.textContent; })()");
    // Blank it (still shown) so that the next bad query's line is the one read.
    browser.eval("document.querySelector('#error').textContent = ''");
    return line;
  }

  /** Polls {@code expression} until it gives something other than null (or undefined). */
  private static String await(HeadlessChromium browser, String expression) throws Exception {
    while (true) {
      JsonNode value = browser.eval(expression);
      if (!value.isMissingNode() && !value.isNull()) {
        return value.asText();
      }
      Thread.sleep(200);
    }
  }

  private static JsonNode cards(HeadlessChromium browser, String grid) throws Exception {
    return browser.eval(
        "[...document.querySelectorAll('"
            + grid
            + " .card')].map(c => ({id: c.dataset.id, image: !!c.querySelector('img'),"
            + " cos: c.querySelector('.cos')?.textContent, labels:"
            + " [...c.querySelectorAll('li')].map(l => ({name: l.dataset.label, score:"
            + " Number(l.dataset.score)}))}))");
  }

  private static List<String> ids(JsonNode cards) {
    List<String> out = new ArrayList<>();
    cards.forEach(c -> out.add(c.get("id").asText()));
    return out;
  }

  private static List<String> nearest(Path index, float[] query) throws Exception {
    try (IndexSearch search = IndexSearch.open(index)) {
      return search.search(IndexQuery.nearest(query, DefaultModel.version(), K)).stream()
          .map(IndexHit::eventId)
          .toList();
    }
  }

  private static float[] unboxed(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
