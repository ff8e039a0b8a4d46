package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.bench.PhotoBenchmark;
import dev.clipstream.jobs.bench.ProgressSampler;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream bench photos}: the real-size pipeline row, ViT-B/32 at 224 px on JPEGs. */
@Command(
    name = "photos",
    mixinStandardHelpOptions = true,
    description = {
      "A ViT-B/32-sized model (random weights) at 224 px on JPEG photos of three sizes: the whole",
      "tagging job (Kafka to the exactly-once sink) against the bare image encoder on the same",
      "photos at the same intra-op threads, in one run."
    })
final class BenchPhotosCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--batch-size",
      defaultValue = "16",
      description = "Batch size of both (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--events",
      defaultValue = "400",
      description = "Events waiting in Kafka for the sustained run (default ${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--iterations",
      defaultValue = "10",
      description = "Timed batches of the bare encoder (default ${DEFAULT-VALUE}).")
  int iterations;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "1000",
      description =
          "Milliseconds between the job's exactly-once checkpoints (default ${DEFAULT-VALUE}, as"
              + " the demo). Each one waits for the forward pass in flight.")
  long checkpointMillis;

  @Option(
      names = "--threads",
      description =
          "Intra-op threads of both (default: one fewer than the cores, as `clipstream bench`).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1 || events < 2 * batchSize || iterations < 1 || checkpointMillis < 10) {
      throw new UserError(
          "--batch-size and --iterations must be positive, --events at least two batches and"
              + " --checkpoint-interval at least 10 ms");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(dev.clipstream.model.engine.DjlRuntime.describe().oneLine()); // starts the engine
    int all = ai.djl.pytorch.jni.JniUtils.getNumThreads();
    int used = threads != null ? threads : Math.max(1, all - 1);
    if (used < 1) {
      throw new UserError("--threads must be positive");
    }
    ai.djl.pytorch.jni.JniUtils.setNumThreads(used);
    Path work = Files.createTempDirectory("clipstream-bench-photos");
    PhotoBenchmark.Result r;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      r =
          PhotoBenchmark.run(
              kafka,
              work,
              batchSize,
              events,
              iterations,
              java.time.Duration.ofMillis(checkpointMillis),
              out);
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    out.printf(
        Locale.ROOT,
        "%n| model | px | photos | batch | threads | bare encoder, images/s | ms per batch |"
            + " bare forward CPU, ms/image | bare, photos decoded beside it, images/s | ÷ bare |"
            + " pipeline, events/s | pipeline ÷ bare | processed, events/s | ÷ bare |"
            + " forward CPU, ms/event |"
            + " framework CPU, ms/event | decoding task | encoding task, rest |"
            + " framework ÷ encoder CPU | whole process CPU, ms/event |"
            + " forward on the task thread, events/s | ÷ bare |%n"
            + "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
            + " ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |%n"
            + "| ViT-B/32 (random) | 224 | %s | %d | %d | %.1f | %.0f | %.2f | %.1f | %.2f | %.1f |"
            + " %.2f | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %.3f | %.2f | %.1f | %.2f |%n",
        String.join(", ", r.photos()),
        r.batchSize(),
        r.intraOpThreads(),
        r.bareImagesPerSecond(),
        r.bareMillisPerBatch(),
        r.bareCpuMillisPerImage(),
        r.besideDecodingImagesPerSecond(),
        r.besideDecodingRatio(),
        r.pipelineEventsPerSecond(),
        r.ratio(),
        r.pipelineProcessedPerSecond(),
        r.processedRatio(),
        r.cpu().forwardMicros() / 1e3,
        r.cpu().frameworkMicros() / 1e3,
        r.cpu().decodeMicros() / 1e3,
        r.cpu().encodeTaskMicros() / 1e3,
        r.cpu().ratio(),
        r.cpu().processMicros() / 1e3,
        r.pipelineOnTaskThreadEventsPerSecond(),
        r.onTaskThreadRatio());
    out.printf(
        Locale.ROOT,
        "%nSustained over %,d events waiting before the job starts, checkpoints every %,d ms;"
            + " pipeline: the rate the results commit at (after the first commit), processed: the"
            + " rate the job turns them out at (its eventsOut counter every %d ms, from the first"
            + " tenth of the events to the last). The job's batches: mean size %.2f of %d, forward"
            + " %.0f ms per batch on average (bare: %.0f ms per batch of %d); the encoder's duty"
            + " cycle (forward time over wall time from the first pass to the last) %.2f."
            + " Decoding and cropping a photo took %.2f ms of CPU alone and %.2f beside the bare"
            + " forward (one thread, the photos in turn); the job's decoding task %.2f ms per"
            + " event, with Kafka records, thumbnail and serialisation.%n",
        r.events(),
        r.checkpointInterval().toMillis(),
        ProgressSampler.PERIOD_MILLIS,
        r.jobMeanBatchSize(),
        r.batchSize(),
        r.jobForwardMillisPerBatch(),
        r.bareMillisPerBatch(),
        r.batchSize(),
        r.encoderDutyCycle(),
        r.decodeCpuMillisAlone(),
        r.decodeCpuMillisBesideForward(),
        r.cpu().decodeMicros() / 1e3);
    out.flush();
    return 0;
  }
}
