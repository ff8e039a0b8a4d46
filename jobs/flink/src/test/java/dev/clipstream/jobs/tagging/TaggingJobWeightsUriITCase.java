package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.deploy.LaunchOptions;
import dev.clipstream.jobs.deploy.TaggingJobSetup;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model.weights} as a file system URI: the job is built without reading the file (the client
 * of a cluster need not see it), and the TaskManagers load it; a missing file fails the job with
 * one line naming it.
 */
class TaggingJobWeightsUriITCase {

  static final int EVENTS = 24;

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster();

  @TempDir Path dir;

  @Test
  void servesWeightsNamedByAFileUriLoadedOnTheTaskManagers() throws Exception {
    Path weights = dir.resolve("served-by-uri.safetensors");
    DefaultModel.copyTo(DefaultModel.WEIGHTS, weights);
    DemoImages images =
        new DemoImages(
            FashionMnist.load(
                    FashionMnist.Split.TEST,
                    new DatasetLocator(Optional.empty(), dir.resolve("cache")))
                .head(EVENTS));
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      TaggingJobSetup setup = setup(kafka, weights.toUri().toString());
      assertEquals(0, setup.settings().imageSize(), "the size is read on the TaskManagers");
      kafka.createTopics(setup.topics().definitions(2, (short) 1));
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      client.produce(setup.topics().input(), null, TaggingRuns.imageEvents(images, 0, EVENTS));

      StreamExecutionEnvironment env = Pipelines.environment(300);
      setup.wire(env, true);
      env.execute("weights-uri");

      List<ConsumerRecord<byte[], byte[]>> tags =
          client.readCommitted(setup.topics().results(), EVENTS, Duration.ofSeconds(60));
      TaggingRuns.assertExactlyOnce(tags, EVENTS);
      SingleObjectCodec<TagResult> codec = SingleObjectCodec.of(TagResult.class);
      for (ConsumerRecord<byte[], byte[]> r : tags) {
        assertEquals(
            "served-by-uri.safetensors",
            codec.decode(r.value()).value().getModelVersion().toString());
      }
    }
  }

  @Test
  void failsWithOneLineNamingAMissingWeightsFile() throws Exception {
    String missing = dir.resolve("missing.safetensors").toUri().toString();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      TaggingJobSetup setup = setup(kafka, missing);
      kafka.createTopics(setup.topics().definitions(1, (short) 1));
      Configuration noRestarts = new Configuration();
      noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(noRestarts);
      env.enableCheckpointing(300);
      setup.wire(env, false);

      Exception e = assertThrows(Exception.class, () -> env.execute("missing-weights"));
      Throwable cause = e;
      String expected = "model.weights " + missing + ": no such file";
      while (cause != null && !expected.equals(cause.getMessage())) {
        cause = cause.getCause();
      }
      assertTrue(cause != null, "the job fails because of: " + expected);
    }
  }

  private static TaggingJobSetup setup(EmbeddedKafka kafka, String weights) {
    Configuration config = new Configuration();
    config.set(TaggingOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    config.set(LaunchOptions.WEIGHTS, weights);
    return TaggingJobSetup.from(config);
  }
}
