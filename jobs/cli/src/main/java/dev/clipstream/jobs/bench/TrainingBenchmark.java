package dev.clipstream.jobs.bench;

import dev.clipstream.jobs.deploy.TaggingJobSetup;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.runtime.LocalClients;
import dev.clipstream.jobs.training.ContinualTrainingJob;
import dev.clipstream.jobs.training.TrainOnStream;
import dev.clipstream.jobs.training.TrainingMetrics;
import dev.clipstream.jobs.training.TrainingOptions;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.training.AdamW;
import dev.clipstream.model.training.CaptionedPair;
import dev.clipstream.model.training.ContinualBatches;
import dev.clipstream.model.training.ContrastiveTrainer;
import dev.clipstream.model.training.LearningRateSchedule;
import dev.clipstream.model.training.PairBatches;
import dev.clipstream.model.training.ReplayReservoir;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The training side twice over the same captioned images and the same batches: the bare loop (the
 * trainer's own batching code — held-out slice, stream pairs plus replay — and {@link
 * ContrastiveTrainer} steps, nothing else) and the continual-training job on the embedded runtime
 * reading them from Kafka, with the gate turned off so that both do the same steps.
 */
final class TrainingBenchmark {

  record Result(long steps, double bareStepsPerSecond, double jobStepsPerSecond) {}

  static Result run(
      EmbeddedKafka kafka,
      List<byte[]> pngs,
      List<String> captions,
      Path start,
      Path work,
      int steps)
      throws Exception {
    TrainingOptions.Settings settings =
        TrainingOptions.settings(noGate(), start.toString(), work.resolve("store").toString());
    int events =
        (int)
                Math.ceil(
                    steps
                        * settings.newPairs()
                        * (double) settings.holdoutEvery()
                        / (settings.holdoutEvery() - 1))
            + 1;
    double bare = bareLoop(pngs, captions, start, settings, events);

    String topic = "bench-captioned";
    String updates = "bench-model-updates";
    // Both: the exactly-once sink's transaction check lists the transactions of its topic, and the
    // embedded broker creates no topic by itself.
    kafka.createTopics(
        List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(updates, 1, (short) 1)));
    produce(kafka, topic, pngs, captions, events);
    Configuration conf = new Configuration();
    conf.setString("execution.checkpointing.storage", "filesystem");
    conf.setString("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
    env.setParallelism(1);
    env.enableCheckpointing(5000);
    Files.createDirectories(work.resolve("store"));
    ContinualTrainingJob.onKafka(
        env,
        KafkaOptions.of(kafka.bootstrapServers()),
        topic,
        updates,
        "bench-training",
        true,
        TaggingJobSetup.imageSize(start.toString()),
        settings);
    JobExecutionResult result = env.execute("bench-training");
    long taken = result.getAccumulatorResult(TrainingMetrics.STEPS_TAKEN);
    long first = result.getAccumulatorResult(TrainingMetrics.FIRST_PAIR_AT);
    long last = result.getAccumulatorResult(TrainingMetrics.LAST_STEP_AT);
    return new Result(taken, bare, taken / ((last - first) / 1e9));
  }

  static Configuration noGate() {
    Configuration config = new Configuration();
    config.set(TrainingOptions.PUBLISH_EVERY, Integer.MAX_VALUE);
    return config;
  }

  /** The trainer's batching and steps alone, from the first pair to the last step. */
  static double bareLoop(
      List<byte[]> pngs,
      List<String> captions,
      Path start,
      TrainingOptions.Settings settings,
      int events)
      throws Exception {
    try (ClipModel model =
        ClipModel.load(start, LoadOptions.builder().optTrainable(true).build())) {
      ImagePreprocessor preprocessor =
          new ImagePreprocessor(PreprocessOptions.defaults(model.config().imageResolution()));
      List<CaptionedPair> stream = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        ImagePreprocessor.Pixels pixels =
            (ImagePreprocessor.Pixels) preprocessor.preprocess(pngs.get(i % pngs.size()));
        stream.add(CaptionedPair.ofPreprocessed(pixels.chw(), captions.get(i % captions.size())));
      }
      ClipTokenizer tokenizer = ClipTokenizer.load();
      try (ContrastiveTrainer trainer =
          new ContrastiveTrainer(
              model,
              LearningRateSchedule.constantAfterWarmup(
                  settings.learningRate(), TrainOnStream.WARMUP_STEPS),
              AdamW.Settings.clipDefaults())) {
        ContinualBatches batches =
            new ContinualBatches(
                settings.batchSize(),
                settings.newPairs(),
                settings.holdoutEvery(),
                settings.holdoutSize(),
                new ReplayReservoir(settings.replayCapacity(), settings.seed()));
        long begin = System.nanoTime();
        long lastStep = begin;
        long steps = 0;
        for (CaptionedPair pair : stream) {
          List<CaptionedPair> batch = batches.offer(pair);
          if (batch != null) {
            trainer.step(
                PairBatches.of(
                    batch,
                    tokenizer,
                    model.config().imageResolution(),
                    model.config().contextLength()));
            steps++;
            lastStep = System.nanoTime();
          }
        }
        return steps / ((lastStep - begin) / 1e9);
      }
    }
  }

  private static void produce(
      EmbeddedKafka kafka, String topic, List<byte[]> pngs, List<String> captions, int n) {
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    try (KafkaProducer<byte[], byte[]> producer = LocalClients.producer(kafka.bootstrapServers())) {
      for (int i = 0; i < n; i++) {
        ImageEvent event =
            ImageEvent.newBuilder()
                .setEventId("train-" + i)
                .setEventTime(Instant.now())
                .setSource("bench")
                .setImage(ByteBuffer.wrap(pngs.get(i % pngs.size())))
                .setContentType("image/png")
                .setCaption(captions.get(i % captions.size()))
                .build();
        producer.send(new ProducerRecord<>(topic, codec.encode(event)));
      }
    }
  }
}
