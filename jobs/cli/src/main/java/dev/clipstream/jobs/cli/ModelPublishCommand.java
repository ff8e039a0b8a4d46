package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.control.ControlSigner;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.weights.SafeTensorsFile;
import dev.clipstream.schemas.ModelUpdate;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream model publish}: rolls a weights file out to running tagging jobs — copies it
 * into the model store and announces it on the model-updates topic with its SHA-256.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description =
        "Copy safetensors weights into the model store and announce them on the model-updates"
            + " topic; tagging jobs verify and swap to them between batches.")
final class ModelPublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Mixin SigningKeyOption signing;

  @Option(names = "--weights", required = true, description = "The safetensors file.")
  Path weights;

  @Option(
      names = "--store",
      required = true,
      description = "The model store directory the jobs read (their model.store).")
  Path store;

  @Option(names = "--version", description = "Version results will report (default: file name).")
  String version;

  @Option(names = "--topic", description = "The model-updates topic (default: ${DEFAULT-VALUE}).")
  String topic = TaggingOptions.MODEL_UPDATES_TOPIC.defaultValue();

  @Override
  public Integer call() throws Exception {
    CliFiles.readable(weights);
    try {
      Map<String, long[]> shapes = new LinkedHashMap<>();
      SafeTensorsFile.read(weights).tensors().forEach((k, v) -> shapes.put(k, v.shape()));
      ClipConfig.inferFrom(shapes);
    } catch (RuntimeException e) {
      throw new UserError(weights + ": not CLIP weights in safetensors: " + e.getMessage(), e);
    }
    if (!Files.isDirectory(store)) {
      throw new UserError(store + ": no such directory (the model store)");
    }
    String sha = ModelStore.sha256Of(weights);
    String name = sha.substring(0, 12) + "-" + weights.getFileName();
    Path target = store.resolve(name);
    if (!Files.exists(target)) {
      Path partial = store.resolve(name + ".partial");
      Files.copy(weights, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    }
    ModelUpdate update =
        ModelUpdate.newBuilder()
            .setModelVersion(version != null ? version : weights.getFileName().toString())
            .setTrainingStep(0)
            .setCheckpointUri(name)
            .setWeightsSha256(sha)
            .setCreatedTime(Instant.now())
            .build();
    ControlSigner signer = signing.signer(spec.commandLine().getErr());
    if (signer != null) {
      signer.sign(update);
    }
    kafka.sendOne(topic, "model", SingleObjectCodec.of(ModelUpdate.class).encode(update));
    spec.commandLine()
        .getOut()
        .printf(
            "published %s (sha256 %s) as %s to %s%n",
            update.getModelVersion(), sha.substring(0, 12), target, topic);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
