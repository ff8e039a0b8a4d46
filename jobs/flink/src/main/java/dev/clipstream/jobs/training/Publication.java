package dev.clipstream.jobs.training;

import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.WeightsInfo;
import dev.clipstream.model.weights.DType;
import dev.clipstream.schemas.ModelUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A candidate that passed the gate, published: its weights written to the model store under {@code
 * published/<version>.safetensors} with their manifest, the same weights loaded back as the new
 * served model (what the next gate compares against), and the {@link ModelUpdate} that tells the
 * tagging job. The caller owns {@link #served} from then on.
 */
record Publication(
    String name, String sha256, String version, ClipModel served, ModelUpdate update) {

  /** Publishes {@code candidate} at training step {@code step} with the gate's metrics. */
  static Publication of(
      ModelStore store,
      CheckpointFiles files,
      ClipModel candidate,
      long step,
      Map<String, Double> metrics)
      throws IOException {
    String version = "continual-step-" + step;
    Path local = Files.createTempFile("clipstream-publish-", ".safetensors");
    try {
      WeightsInfo info = candidate.save(local, DType.F32, Map.of("step", Long.toString(step)));
      String name = "published/" + version + ".safetensors";
      store.put(local, name);
      store.put(info.manifest(), CheckpointFiles.manifestOf(name));
      files.published(name);
      Files.deleteIfExists(info.manifest());
      ModelUpdate update =
          ModelUpdate.newBuilder()
              .setModelVersion(version)
              .setTrainingStep(step)
              .setCheckpointUri(name)
              .setWeightsSha256(info.sha256())
              .setMetrics(new HashMap<>(metrics))
              .setCreatedTime(Instant.now())
              .build();
      // Loaded last, so nothing after it can fail and leave it open.
      ClipModel served = ClipModel.load(local, LoadOptions.defaults());
      return new Publication(name, info.sha256(), version, served, update);
    } finally {
      Files.deleteIfExists(local);
    }
  }
}
