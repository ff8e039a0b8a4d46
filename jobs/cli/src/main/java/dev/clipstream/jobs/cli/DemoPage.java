package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.index.IndexJob;
import dev.clipstream.jobs.index.IndexOptions;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.jobs.ui.PageSearchModel;
import dev.clipstream.jobs.ui.UiServer;
import dev.clipstream.jobs.ui.UiSettings;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.LoadOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The demo's web page: the index job wired beside the tagging job (so the page can search), and the
 * page's server once the jobs run.
 */
final class DemoPage {
  private DemoPage() {}

  /** The index job's consumer group in the demo. */
  static final String INDEX_GROUP = "clipstream-demo-index";

  /** Adds the index job, results topic to {@code index}, to the demo's Flink job. */
  static void wireIndexJob(
      StreamExecutionEnvironment env,
      KafkaOptions kafka,
      TaggingTopics topics,
      Path index,
      dev.clipstream.jobs.io.OutputOptions output) {
    IndexJob.onKafka(
        env,
        kafka,
        topics.results(),
        INDEX_GROUP,
        false,
        new IndexOptions.Settings(
            index.toString(),
            IndexOptions.Settings.of(index.toString()).ramBufferMb(),
            output.registry()));
  }

  /**
   * Serves the page on 127.0.0.1:{@code port}, searching with the model the tagging job started on:
   * {@code weights}, or the default model when it is null; {@code registry} (or null) reads results
   * written as Confluent-framed Avro.
   */
  static UiServer start(
      String bootstrap,
      TaggingTopics topics,
      Path index,
      int port,
      Path weights,
      dev.clipstream.schemas.format.SchemaRegistrySettings registry)
      throws IOException {
    ClipModel model =
        weights == null ? DefaultModel.load() : ClipModel.load(weights, LoadOptions.defaults());
    String version = weights == null ? DefaultModel.version() : weights.getFileName().toString();
    return UiServer.start(
        UiSettings.local(bootstrap, topics, index, port).withRegistry(registry),
        new PageSearchModel(model, version));
  }
}
