package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoEvents;
import dev.clipstream.jobs.runtime.DemoMonitor;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.runtime.FolderEvents;
import dev.clipstream.jobs.tagging.BatchingOptions;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.jobs.tagging.TaggingSettings;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.engine.DjlRuntime;
import dev.clipstream.model.zeroshot.Label;
import dev.clipstream.model.zeroshot.LabelSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream demo}: the whole pipeline in one process — a real Kafka broker, a Flink
 * MiniCluster with its web UI, the tagging job on the default model — fed with Fashion-MNIST test
 * images, with a live view of throughput, latency and accuracy.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start an in-process Kafka broker and Flink MiniCluster, run the tagging job on the default",
      "model and stream Fashion-MNIST test images through it, showing throughput, latency and accuracy."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--events",
      defaultValue = "2000",
      description = "Stop after this many events and print a summary (default ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--input",
      description =
          "Stream your own images from this folder (captions from sidecar .txt files) instead of Fashion-MNIST.")
  java.nio.file.Path input;

  @Option(
      names = "--labels",
      split = ",",
      description =
          "With --input: the label set to tag with (default: Fashion-MNIST's ten classes).")
  List<String> labels;

  @Option(
      names = "--templates",
      split = "\\|",
      description =
          "Prompt templates with {} for the label, separated by '|' (default: the built-in ensemble).")
  List<String> templates;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Events per second from the producer; 0 = as fast as it can (default).")
  double rate;

  @Option(
      names = "--ui-port",
      defaultValue = "8081",
      description = "Port of the Flink web UI on 127.0.0.1 (default ${DEFAULT-VALUE}).")
  int uiPort;

  @Option(
      names = "--page-port",
      defaultValue = "" + UiCommand.DEFAULT_PORT,
      description =
          "Port of the web page (gallery, search, dead letters) on 127.0.0.1; 0 = any free one (default ${DEFAULT-VALUE}).")
  int pagePort;

  @Option(names = "--no-page", description = "Do not start the index job and the web page.")
  boolean noPage;

  @Option(
      names = "--stay",
      description =
          "Keep the broker, the jobs and the page running after the summary, until stopped.")
  boolean stay;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "batch.max-size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--max-wait-ms",
      defaultValue = "50",
      description = "batch.max-wait in ms (default ${DEFAULT-VALUE}).")
  long maxWaitMs;

  @Option(
      names = "--continual",
      description = {
        "Also run the continual-training job: tagging starts on the model trained without Bag and",
        "Ankle boot, the stream (Fashion-MNIST training images, half captioned) teaches them, and",
        "the live view shows the served model version and the accuracy on those two labels."
      })
  boolean continual;

  @Option(
      names = "--output-format",
      defaultValue = "avro-single-object",
      description =
          "Wire format of the results and dead letters (output.format): avro-single-object,"
              + " confluent-avro (needs --schema-registry-url) or json.")
  String outputFormat;

  @Option(
      names = "--schema-registry-url",
      description = "A Confluent-compatible schema registry, for --output-format confluent-avro.")
  String schemaRegistryUrl;

  /** The labels the continual demo's starting model never saw. */
  static final List<String> NEW_LABELS = List.of("Bag", "Ankle boot");

  @Override
  public Integer call() throws Exception {
    if (continual && input != null) {
      throw new UserError("--continual streams Fashion-MNIST; it does not take --input");
    }
    if (labels != null && input == null) {
      throw new UserError("--labels tags your own images: it needs --input");
    }
    LabelSet labelSet = DemoWiring.labelSet(labels, templates);
    if (continual) {
      if (!spec.commandLine().getParseResult().hasMatchedOption("--events")) {
        events = 6000;
      }
      if (!spec.commandLine().getParseResult().hasMatchedOption("--rate")) {
        rate = 60;
      }
    }
    if (events < 1) {
      throw new UserError("--events must be at least 1");
    }
    if (pagePort < 0 || pagePort > 65535) {
      throw new UserError("--page-port must be 0 to 65535, not " + pagePort);
    }
    dev.clipstream.jobs.io.OutputOptions output;
    try {
      output =
          dev.clipstream.jobs.io.OutputOptions.of(
              dev.clipstream.schemas.format.WireFormat.parse(outputFormat), schemaRegistryUrl);
    } catch (IllegalArgumentException e) {
      throw new UserError("--output-format/--schema-registry-url: " + e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("clipstream demo — " + DjlRuntime.describe().oneLine());
    DemoEvents images = DemoWiring.events(input, continual, out);
    if (images instanceof FolderEvents folder
        && !spec.commandLine().getParseResult().hasMatchedOption("--events")) {
      events = folder.size();
    }
    java.nio.file.Path work = Files.createTempDirectory("clipstream-demo");
    java.nio.file.Path store = Files.createDirectories(work.resolve("model-store"));
    java.nio.file.Path startWeights = work.resolve(DefaultModel.WITHOUT_BAG_ANKLE_BOOT);
    if (continual) {
      DefaultModel.copyTo(DefaultModel.WITHOUT_BAG_ANKLE_BOOT, startWeights);
    }
    int imageSize = DefaultModel.manifest().path("config").path("image_resolution").asInt();
    DemoWiring.SignedControl control = DemoWiring.SignedControl.makeIn(work);
    TaggingTopics topics = TaggingTopics.defaults();
    UntilStopped stop = stay ? new UntilStopped() : null;
    try {
      try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
        kafka.createTopics(topics.definitions(2, (short) 1));
        out.printf(
            "Kafka broker  %s (topics %s, %s, %s)%n",
            kafka.bootstrapServers(), topics.input(), topics.results(), topics.deadLetters());
        KafkaOptions kafkaOptions = KafkaOptions.of(kafka.bootstrapServers());
        StreamExecutionEnvironment env =
            StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(
                DemoWiring.flinkConfiguration(work.resolve("checkpoints"), uiPort));
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        TaggingJob.onKafka(
            env,
            kafkaOptions,
            topics,
            TaggingOptions.groupId(new Configuration()),
            false,
            new TaggingSettings(
                    continual ? startWeights.toString() : "",
                    imageSize,
                    new BatchingOptions(batchSize, Duration.ofMillis(maxWaitMs)),
                    labelSet,
                    3,
                    store.toString())
                .withControl(control.policy()),
            output);
        java.nio.file.Path index = work.resolve("index");
        if (!noPage) {
          // The index job as another pipeline of the same Flink job, so the page can search.
          DemoPage.wireIndexJob(env, kafkaOptions, topics, index, output);
        }
        if (continual) {
          DemoWiring.addTraining(
              env, kafkaOptions, topics, imageSize, startWeights, store, control.signingKey());
          out.printf(
              "continual     tagging starts on %s; training publishes to %s%n",
              startWeights.getFileName(), store);
        }
        JobClient job = env.executeAsync(continual ? "clipstream-demo" : "clipstream-tagging");
        out.printf("Flink web UI  http://127.0.0.1:%d (job %s)%n", uiPort, job.getJobID());
        dev.clipstream.jobs.ui.UiServer page = null;
        out.printf(
            "labels        %s%n",
            labelSet.labels().stream()
                .map(Label::name)
                .collect(java.util.stream.Collectors.joining(", ")));
        out.printf(
            "streaming %d %s%s%n%n",
            events,
            input == null
                ? (continual ? "Fashion-MNIST training images" : "Fashion-MNIST test images")
                    + " (PNG, every other one captioned)"
                : "images from " + input,
            rate > 0 ? " at " + rate + "/s" : "");
        try {
          if (!noPage) {
            page =
                DemoPage.start(
                    kafka.bootstrapServers(),
                    topics,
                    index,
                    pagePort,
                    continual ? startWeights : null,
                    output.registry());
            out.printf("page          %s (latest tags, search, dead letters)%n", page.url());
          }
          out.flush();
          DemoMonitor.Summary summary =
              new DemoMonitor(
                      kafka.bootstrapServers(),
                      topics.input(),
                      topics.results(),
                      topics.deadLetters(),
                      images,
                      events,
                      rate,
                      continual ? NEW_LABELS : List.of(),
                      out)
                  .withRegistry(output.registry())
                  .run();
          out.println();
          out.print(summary.toText());
          if (stop != null) {
            out.println("--stay: serving until stopped (Ctrl-C)");
            out.flush();
            stop.await();
            out.println("stopping");
          }
        } finally {
          try {
            if (page != null) {
              page.close();
            }
          } finally {
            job.cancel().get();
          }
        }
      }
    } finally {
      try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
      if (stop != null) {
        stop.close();
      }
    }
    out.flush();
    return 0;
  }
}
