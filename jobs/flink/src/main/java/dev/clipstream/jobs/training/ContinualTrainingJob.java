package dev.clipstream.jobs.training;

import dev.clipstream.jobs.control.SignModelUpdates;
import dev.clipstream.jobs.io.DecodeEvent;
import dev.clipstream.jobs.io.DecodeImage;
import dev.clipstream.jobs.io.KafkaConnections;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.io.KafkaRecord;
import dev.clipstream.jobs.io.TransactionTimeoutCheck;
import dev.clipstream.schemas.ModelUpdate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The continual-training side job's topology: Kafka records → decode the event → decode and
 * preprocess the image (the tagging job's own operators) → keep captioned events → one trainer →
 * gated model updates, exactly once, on the model-updates topic the tagging job reads.
 *
 * <p>Undecodable inputs are dropped here without a dead letter: the tagging job reading the same
 * topic already dead-letters each of them once. The trainer runs at parallelism 1 (one model, one
 * optimiser); the decoding in front of it scales with the input's partitions.
 */
public final class ContinualTrainingJob {
  private ContinualTrainingJob() {}

  /** Wires the job between real Kafka topics; its model updates go out unsigned. */
  public static void onKafka(
      StreamExecutionEnvironment env,
      KafkaOptions kafka,
      String inputTopic,
      String modelUpdatesTopic,
      String groupId,
      boolean bounded,
      int imageSize,
      TrainingOptions.Settings settings) {
    onKafka(env, kafka, inputTopic, modelUpdatesTopic, groupId, bounded, imageSize, settings, "");
  }

  /**
   * Wires the job between real Kafka topics, signing its model updates with the private key in
   * {@code signingKey} (a PEM file readable on the TaskManager; empty: unsigned).
   */
  public static void onKafka(
      StreamExecutionEnvironment env,
      KafkaOptions kafka,
      String inputTopic,
      String modelUpdatesTopic,
      String groupId,
      boolean bounded,
      int imageSize,
      TrainingOptions.Settings settings,
      String signingKey) {
    TransactionTimeoutCheck.check(kafka);
    defineWorkflow(
        env,
        KafkaConnections.rawSource(kafka, inputTopic, groupId, bounded),
        KafkaConnections.exactlyOnceSink(
            kafka,
            ModelUpdate.class,
            modelUpdatesTopic,
            u -> "model",
            kafka.transactionalIdPrefix("training-model-updates")),
        imageSize,
        settings,
        signingKey);
  }

  /** Wires the operators between {@code source} and {@code updates}, signing with no key. */
  public static void defineWorkflow(
      StreamExecutionEnvironment env,
      Source<KafkaRecord, ?, ?> source,
      Sink<ModelUpdate> updates,
      int imageSize,
      TrainingOptions.Settings settings) {
    defineWorkflow(env, source, updates, imageSize, settings, "");
  }

  /** Wires the operators between {@code source} and {@code updates}. */
  public static void defineWorkflow(
      StreamExecutionEnvironment env,
      Source<KafkaRecord, ?, ?> source,
      Sink<ModelUpdate> updates,
      int imageSize,
      TrainingOptions.Settings settings,
      String signingKey) {
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-images")
        .process(new DecodeEvent())
        .name("decode-event")
        .uid("train-decode-event")
        .process(DecodeImage.of(imageSize, settings.weights()))
        .name("decode-image")
        .uid("train-decode-image")
        .filter(image -> image.caption != null && !image.caption.isBlank())
        .name("keep-captioned")
        .uid("keep-captioned")
        .transform(
            "train-contrastive",
            TypeInformation.of(ModelUpdate.class),
            new TrainerOperator(new TrainOnStream(settings)))
        .setParallelism(1)
        .setMaxParallelism(1)
        .name("train-contrastive")
        .uid("train-contrastive")
        .map(new SignModelUpdates(signingKey))
        .setParallelism(1)
        .name("sign-model-updates")
        .uid("sign-model-updates")
        .sinkTo(updates)
        .setParallelism(1)
        .name("kafka-model-updates")
        .uid("kafka-model-updates");
  }
}
