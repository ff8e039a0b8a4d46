package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.control.ControlKeys;
import dev.clipstream.jobs.control.ControlPolicy;
import dev.clipstream.jobs.control.TrustedKeys;
import dev.clipstream.jobs.io.ImageFolder;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoEvents;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.FolderEvents;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.jobs.training.ContinualTrainingJob;
import dev.clipstream.jobs.training.TrainingOptions;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.preprocess.ImageDecoder;
import dev.clipstream.model.zeroshot.Label;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.PromptTemplates;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The parts of {@code clipstream demo} around the tagging job: where its events come from, the
 * signed control plane it trusts, and the continual-training pipeline of {@code --continual}.
 */
final class DemoWiring {

  private DemoWiring() {}

  /**
   * The images to stream: the readable files of {@code input} (the others named on {@code out}), or
   * Fashion-MNIST's training split for the continual demo and its test split otherwise.
   */
  static DemoEvents events(Path input, boolean continual, PrintWriter out) throws IOException {
    if (input == null) {
      return new DemoImages(
          Datasets.load(
              continual ? FashionMnist.Split.TRAIN : FashionMnist.Split.TEST,
              Datasets.locator(null)));
    }
    if (!Files.isDirectory(input)) {
      throw new UserError(input + ": no such directory");
    }
    ImageFolder.Listing listing = ImageFolder.scan(input);
    listing.notSent().forEach(out::println);
    if (listing.images().isEmpty()) {
      throw new UserError(input + ": no " + ImageDecoder.FORMATS + " files");
    }
    return new FolderEvents(listing.images());
  }

  /** The demo's control plane, signed like a deployment's, with a key made for this run only. */
  record SignedControl(Path signingKey, ControlPolicy policy) {

    static SignedControl makeIn(Path work) throws IOException {
      Path signingKey = work.resolve("control.key");
      Path trustedKey = work.resolve("control.pub");
      ControlKeys.write(ControlKeys.generate(), signingKey, trustedKey);
      return new SignedControl(
          signingKey,
          ControlPolicy.trusting(new TrustedKeys(ControlKeys.readPublic(List.of(trustedKey)))));
    }
  }

  /**
   * The continual-training job as another pipeline of the demo's Flink job (a separate failover
   * region): it learns from the captioned input and publishes signed models every 10 steps.
   */
  static void addTraining(
      StreamExecutionEnvironment env,
      KafkaOptions kafka,
      TaggingTopics topics,
      int imageSize,
      Path startWeights,
      Path store,
      Path signingKey) {
    Configuration training = new Configuration();
    training.set(TrainingOptions.PUBLISH_EVERY, 10);
    ContinualTrainingJob.onKafka(
        env,
        kafka,
        topics.input(),
        topics.modelUpdates(),
        TrainingOptions.groupId(new Configuration()),
        false,
        imageSize,
        TrainingOptions.settings(training, startWeights.toString(), store.toString()),
        signingKey.toString());
  }

  /**
   * The label set to tag with: the ten Fashion-MNIST classes unless {@code labels} names others.
   */
  static LabelSet labelSet(List<String> labels, List<String> templates) {
    List<String> names = labels != null ? labels : FashionMnist.CLASSES;
    try {
      return new LabelSet(
          TaggingOptions.LABEL_SET.defaultValue(),
          1,
          names.stream().map(String::strip).map(Label::named).toList(),
          templates != null ? templates : PromptTemplates.DEFAULT);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /**
   * The MiniCluster's settings: file checkpoints under {@code checkpoints}, the web UI on loopback.
   */
  static Configuration flinkConfiguration(Path checkpoints, int uiPort) throws IOException {
    Configuration conf = new Configuration();
    // The trainer's state (replay reservoir, held-out slice) outgrows the JobManager's 5 MB.
    conf.setString("execution.checkpointing.storage", "filesystem");
    conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.PORT, uiPort);
    conf.setString("web.upload.dir", Files.createTempDirectory("clipstream-flink-web").toString());
    return conf;
  }
}
