package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.jobs.ui.PageSearchModel;
import dev.clipstream.jobs.ui.UiServer;
import dev.clipstream.jobs.ui.UiSettings;
import dev.clipstream.schemas.format.SchemaRegistrySettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream ui}: the web page of a running tagging job and index job (docs/ui.md), served
 * until the process is stopped.
 */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the web page of a running pipeline: the latest tagged images, search, versions,",
      "throughput and latency, dead letters (docs/ui.md)."
    })
final class UiCommand implements Callable<Integer> {

  /** The page's port unless --port says another. */
  static final int DEFAULT_PORT = 8082;

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--index",
      required = true,
      description = "The index folder the index job writes (index.path).")
  Path index;

  @Option(
      names = "--port",
      defaultValue = "" + DEFAULT_PORT,
      description = "Port of the page; 0 = any free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default ${DEFAULT-VALUE}); the page has no login, so widen it only behind one.")
  String bind;

  @Option(
      names = "--history",
      defaultValue = "" + UiSettings.DEFAULT_HISTORY,
      description = "Records per partition read back at start (default ${DEFAULT-VALUE}).")
  int history;

  @Option(
      names = "--set",
      description =
          "A topic setting of the tagging job: topics.input, topics.results, topics.dead-letters; repeatable.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--schema-registry-url",
      description =
          "The schema registry of topics written as confluent-avro (output.schema-registry.url);"
              + " single-object Avro and JSON are read without one.")
  String schemaRegistryUrl;

  @Mixin WeightsOption weights;

  @Option(
      names = "--model-version",
      description =
          "The version the search weights carry in the index (default: the default model's version, or the weights file's name).")
  String modelVersion;

  /** The keys --set takes. */
  static final java.util.List<String> SETTINGS =
      java.util.List.of(
          TaggingOptions.INPUT_TOPIC.key(),
          TaggingOptions.RESULTS_TOPIC.key(),
          TaggingOptions.DEAD_LETTER_TOPIC.key());

  @Override
  public Integer call() throws Exception {
    for (String key : settings.keySet()) {
      if (!SETTINGS.contains(key)) {
        throw new UserError(
            "--set " + key + " is not a setting of clipstream ui: " + String.join(", ", SETTINGS));
      }
    }
    Configuration config = Configuration.fromMap(settings);
    TaggingTopics topics =
        new TaggingTopics(
            config.get(TaggingOptions.INPUT_TOPIC),
            config.get(TaggingOptions.RESULTS_TOPIC),
            config.get(TaggingOptions.DEAD_LETTER_TOPIC),
            config.get(TaggingOptions.LABEL_SETS_TOPIC),
            config.get(TaggingOptions.MODEL_UPDATES_TOPIC));
    SchemaRegistrySettings registry;
    try {
      registry = schemaRegistryUrl == null ? null : SchemaRegistrySettings.of(schemaRegistryUrl);
    } catch (IllegalArgumentException e) {
      throw new UserError("--schema-registry-url: " + e.getMessage(), e);
    }
    UiSettings ui;
    try {
      ui =
          new UiSettings(
              kafka.clientConfig(), topics, index.toAbsolutePath(), bind, port, history, registry);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    String version = SearchCommand.version(weights, modelVersion);
    try (UiServer server =
        UiServer.start(
            ui, new PageSearchModel(weights.load(spec.commandLine().getErr()), version))) {
      out.printf(
          "page          %s (topics %s, %s, %s; index %s)%n",
          server.url(), topics.input(), topics.results(), topics.deadLetters(), ui.index());
      out.println("serving until stopped (Ctrl-C)");
      out.flush();
      Thread.currentThread().join();
    }
    return 0;
  }
}
