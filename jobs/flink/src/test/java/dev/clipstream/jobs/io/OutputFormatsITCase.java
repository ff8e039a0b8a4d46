package dev.clipstream.jobs.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipstream.jobs.index.IndexHit;
import dev.clipstream.jobs.index.IndexJob;
import dev.clipstream.jobs.index.IndexOptions;
import dev.clipstream.jobs.index.IndexQuery;
import dev.clipstream.jobs.index.IndexSearch;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.MinimalSchemaRegistry;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.PoisonInputs;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.format.AnyFormatDecoder;
import dev.clipstream.schemas.format.SchemaRegistrySettings;
import dev.clipstream.schemas.format.WireFormat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real tagging job (embedded broker, MiniCluster, default model) writing its results and dead
 * letters as confluent-avro and as json; every committed record is read back with decoders that
 * share no code with ours (Avro's generic reader with the schema fetched from the registry over
 * HTTP; Jackson's tree parser), inputs = results + dead letters, captions and thumbnails included.
 * The registry is {@link MinimalSchemaRegistry}, a stand-in written for the tests: Apicurio
 * Registry cannot be assembled from Maven Central here (docs/output-formats.md).
 */
class OutputFormatsITCase {
  static final int GOOD = 16;
  static final List<String> POISON =
      List.of(PoisonInputs.RANDOM_BYTES, PoisonInputs.TRUNCATED_AVRO, PoisonInputs.NOT_AN_IMAGE);

  /** Mean absolute difference of a 28 px JPEG thumbnail from the image, in 8-bit levels. */
  static final double THUMBNAIL_MEAN_LEVELS = 8;

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster();

  @TempDir static Path cache;

  static EmbeddedKafka kafka;
  static LabelledImages images;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafka.start();
    images =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(GOOD);
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  @Test
  void confluentAvroRecordsCarryTheRegistrysIdAndDecodeWithTheRegisteredSchema(@TempDir Path index)
      throws Exception {
    TaggingTopics topics = topics("confluent");
    List<byte[]> inputs = produce(topics);
    try (MinimalSchemaRegistry registry = MinimalSchemaRegistry.start()) {
      run(topics, OutputOptions.of(WireFormat.CONFLUENT_AVRO, registry.url()));
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      List<ConsumerRecord<byte[], byte[]>> tags =
          client.readCommitted(topics.results(), GOOD, Duration.ofSeconds(60));
      List<ConsumerRecord<byte[], byte[]>> dead =
          client.readCommitted(topics.deadLetters(), POISON.size(), Duration.ofSeconds(60));
      assertEquals(inputs.size(), tags.size() + dead.size(), "inputs = results + dead letters");
      assertEquals(GOOD, tags.size());

      // The two sinks open concurrently: which subject got id 1 is not fixed, one id each is.
      Map<String, List<Integer>> subjects = registry.subjects();
      List<Integer> resultIds = subjects.get(topics.results() + "-value");
      List<Integer> letterIds = subjects.get(topics.deadLetters() + "-value");
      assertEquals(1, resultIds.size(), "one schema under the results subject");
      assertEquals(1, letterIds.size(), "one under the dead letters'");
      int resultId = resultIds.get(0);
      int letterId = letterIds.get(0);
      Schema results = fetchSchema(registry.url(), resultId);
      assertEquals(
          SchemaNormalization.toParsingForm(TagResult.getClassSchema()),
          SchemaNormalization.toParsingForm(results),
          "the registered schema is TagResult's");
      assertEquals(
          SchemaNormalization.toParsingForm(DeadLetter.getClassSchema()),
          SchemaNormalization.toParsingForm(fetchSchema(registry.url(), letterId)),
          "and DeadLetter's");

      Map<String, GenericRecord> byId = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : tags) {
        GenericRecord tag = readFramed(r.value(), registry.url(), resultId);
        assertNull(byId.put(tag.get("eventId").toString(), tag), "one result per event");
        checkResult(
            tag.get("eventId").toString(),
            tag.get("caption") == null ? null : tag.get("caption").toString(),
            bytes((ByteBuffer) tag.get("thumbnail")),
            ((List<?>) tag.get("labels")).size());
      }
      List<String> stages = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : dead) {
        GenericRecord letter = readFramed(r.value(), registry.url(), letterId);
        stages.add(letter.get("stage").toString());
        assertTrue(
            inputs.stream()
                .anyMatch(
                    i -> java.util.Arrays.equals(i, bytes((ByteBuffer) letter.get("payload")))),
            "a dead letter carries an input's bytes");
      }
      assertEquals(POISON.size(), stages.size());

      // Our own reader, as the index job and the commands use it, reads the same records.
      AnyFormatDecoder<TagResult> ours =
          AnyFormatDecoder.of(TagResult.class, SchemaRegistrySettings.of(registry.url()));
      for (ConsumerRecord<byte[], byte[]> r : tags) {
        TagResult tag = ours.decode(r.value()).value();
        assertEquals(
            byId.get(tag.getEventId()).get("modelVersion").toString(), tag.getModelVersion());
      }

      // The index job reads confluent-avro with the registry and keeps caption and thumbnail.
      StreamExecutionEnvironment env = Pipelines.environment(200);
      IndexJob.onKafka(
          env,
          KafkaOptions.of(kafka.bootstrapServers()),
          topics.results(),
          "index-confluent",
          true,
          new IndexOptions.Settings(
              index.toString(), 16.0, SchemaRegistrySettings.of(registry.url())));
      env.execute("index-confluent");
      try (IndexSearch search = IndexSearch.open(index)) {
        assertEquals(byId.keySet(), search.eventIds());
        TagResult any = ours.decode(tags.get(0).value()).value();
        List<IndexHit> hits =
            search.search(
                IndexQuery.nearest(unboxed(any.getImageEmbedding()), DefaultModel.version(), GOOD));
        assertEquals(GOOD, hits.size());
        for (IndexHit hit : hits) {
          GenericRecord tag = byId.get(hit.eventId());
          assertEquals(
              tag.get("caption") == null ? null : tag.get("caption").toString(), hit.caption());
          assertArrayEquals(bytes((ByteBuffer) tag.get("thumbnail")), hit.thumbnail());
        }
      }
    }
  }

  @Test
  void jsonRecordsAreOnePlainObjectEachWithTheDocumentedFieldNames() throws Exception {
    TaggingTopics topics = topics("json");
    List<byte[]> inputs = produce(topics);
    run(topics, OutputOptions.of(WireFormat.JSON, null));
    KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
    List<ConsumerRecord<byte[], byte[]>> tags =
        client.readCommitted(topics.results(), GOOD, Duration.ofSeconds(60));
    List<ConsumerRecord<byte[], byte[]>> dead =
        client.readCommitted(topics.deadLetters(), POISON.size(), Duration.ofSeconds(60));
    assertEquals(inputs.size(), tags.size() + dead.size(), "inputs = results + dead letters");
    assertEquals(GOOD, tags.size());

    ObjectMapper json = new ObjectMapper();
    System.out.println("json result: " + new String(tags.get(0).value(), StandardCharsets.UTF_8));
    System.out.println(
        "json dead letter: " + new String(dead.get(0).value(), StandardCharsets.UTF_8));
    for (ConsumerRecord<byte[], byte[]> r : tags) {
      JsonNode tag = json.readTree(r.value());
      String id = tag.get("eventId").textValue();
      assertEquals(id, new String(r.key(), StandardCharsets.UTF_8), "keyed by event id");
      assertTrue(tag.get("eventTime").isIntegralNumber(), "times are epoch milliseconds");
      assertEquals(DefaultModel.version(), tag.get("modelVersion").textValue());
      assertTrue(tag.get("labels").get(0).get("score").isNumber());
      assertTrue(tag.get("labels").get(0).get("label").isTextual());
      assertTrue(tag.get("imageEmbedding").isArray());
      assertTrue(tag.has("captionSimilarity") && tag.has("duplicateOf"), "null fields are there");
      checkResult(
          id,
          tag.get("caption").isNull() ? null : tag.get("caption").textValue(),
          Base64.getDecoder().decode(tag.get("thumbnail").textValue()),
          tag.get("labels").size());
    }
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      JsonNode letter = json.readTree(r.value());
      byte[] payload = Base64.getDecoder().decode(letter.get("payload").textValue());
      assertTrue(inputs.stream().anyMatch(i -> java.util.Arrays.equals(i, payload)));
      assertTrue(letter.get("stage").isTextual());
      assertTrue(letter.get("reason").textValue().length() > 0);
    }
    // Our reader takes JSON too (the index job, the commands), to the same records.
    AnyFormatDecoder<TagResult> ours = AnyFormatDecoder.of(TagResult.class);
    for (ConsumerRecord<byte[], byte[]> r : tags) {
      assertEquals(
          new String(r.key(), StandardCharsets.UTF_8), ours.decode(r.value()).value().getEventId());
    }
  }

  /** Each test its own topics, so the two runs never read each other's records. */
  static TaggingTopics topics(String name) throws Exception {
    TaggingTopics topics =
        new TaggingTopics(
            "images-" + name, "tags-" + name, "dead-" + name, "labels-" + name, "models-" + name);
    Pipelines.createTopics(kafka, topics);
    return topics;
  }

  /** The good images (every other one captioned) and the poison inputs, on the input topic. */
  static List<byte[]> produce(TaggingTopics topics) throws Exception {
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < GOOD; i++) {
      values.add(PoisonInputs.event("good-" + i, png(i), caption(i)));
    }
    POISON.forEach(name -> values.add(PoisonInputs.get(name).value()));
    new KafkaTestClient(kafka.bootstrapServers()).produce(topics.input(), null, values);
    return values;
  }

  static void run(TaggingTopics topics, OutputOptions output) throws Exception {
    StreamExecutionEnvironment env = Pipelines.environment(500);
    TaggingJob.onKafka(
        env,
        KafkaOptions.of(kafka.bootstrapServers()),
        topics,
        "formats-" + output.format().key(),
        true,
        TaggingRuns.settings(),
        output);
    env.execute("formats-" + output.format().key());
  }

  /**
   * A result of good image {@code id} has its input's caption, top-3 labels, and a thumbnail that
   * is a JPEG of the image (the 28 px default model's crop is the whole image).
   */
  static void checkResult(String id, String caption, byte[] thumbnail, int labels)
      throws Exception {
    assertTrue(id.startsWith("good-"), id);
    int i = Integer.parseInt(id.substring(5));
    assertEquals(caption(i), caption, id + " caption");
    assertEquals(3, labels);
    assertNotNull(thumbnail, id + " has a thumbnail");
    BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(thumbnail));
    assertNotNull(jpeg, id + " thumbnail is an image ImageIO reads");
    BufferedImage original = images.toBufferedImage(i);
    assertEquals(original.getWidth(), jpeg.getWidth());
    assertEquals(original.getHeight(), jpeg.getHeight());
    double sum = 0;
    for (int y = 0; y < jpeg.getHeight(); y++) {
      for (int x = 0; x < jpeg.getWidth(); x++) {
        // The stored grey bytes, as the PNG holds them: getRGB of a TYPE_BYTE_GRAY image would
        // pass them through Java2D's linear-grey to sRGB conversion.
        int grey = original.getRaster().getSample(x, y, 0);
        sum += Math.abs((jpeg.getRGB(x, y) >> 8 & 0xff) - grey);
      }
    }
    double mean = sum / (jpeg.getWidth() * jpeg.getHeight());
    System.out.printf(
        "%s thumbnail: %d bytes, mean |difference| %.2f levels%n", id, thumbnail.length, mean);
    assertTrue(mean <= THUMBNAIL_MEAN_LEVELS, id + " thumbnail differs by " + mean + " levels");
  }

  static String caption(int i) {
    return i % 2 == 0 ? "a photo of item " + i : null;
  }

  static byte[] png(int i) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(images.toBufferedImage(i), "png", out);
    return out.toByteArray();
  }

  /** The schema with {@code id}, fetched over HTTP as any Confluent client would. */
  static Schema fetchSchema(String registry, int id) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(registry + "/schemas/ids/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new Schema.Parser()
        .parse(new ObjectMapper().readTree(response.body()).get("schema").textValue());
  }

  /** Confluent's framing read by hand: magic 0, the id big-endian, then Avro binary. */
  static GenericRecord readFramed(byte[] value, String registry, int expectedId) throws Exception {
    assertEquals(0, value[0], "Confluent's magic byte");
    int id = ByteBuffer.wrap(value, 1, 4).getInt();
    assertEquals(expectedId, id);
    Schema writer = fetchSchema(registry, id);
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
    GenericRecord record = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
    assertTrue(decoder.isEnd(), "nothing after the record");
    return record;
  }

  static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  static float[] unboxed(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
