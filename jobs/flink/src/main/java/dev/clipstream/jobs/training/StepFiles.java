package dev.clipstream.jobs.training;

import ai.djl.ndarray.NDArray;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.model.WeightsInfo;
import dev.clipstream.model.training.ContrastiveTrainer;
import dev.clipstream.model.weights.DType;
import dev.clipstream.model.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weights and AdamW moments of one training step as two files in the model store, named by step
 * and by the first 12 hex digits of the weights' SHA-256: a restore that retakes a step differently
 * (another branch of the job's history) writes new names and never overwrites a file another
 * snapshot references.
 */
record StepFiles(String weights, String weightsSha256, String optimizer, String optimizerSha256) {
  private static final Logger LOG = LoggerFactory.getLogger(StepFiles.class);

  /** Writes the trainer's current weights and optimiser state under {@code directory}. */
  static StepFiles write(ModelStore store, ContrastiveTrainer trainer, long step, String directory)
      throws IOException {
    Path local = Files.createTempFile("clipstream-train-", ".safetensors");
    try {
      WeightsInfo info =
          trainer.model().save(local, DType.F32, Map.of("step", Long.toString(step)));
      Files.deleteIfExists(info.manifest());
      String stem =
          String.format("%s/step-%09d-%s", directory, step, info.sha256().substring(0, 12));
      store.put(local, stem + ".safetensors");
      SafeTensorsWriter optimizer = new SafeTensorsWriter();
      for (Map.Entry<String, NDArray> e : trainer.optimizer().state().entrySet()) {
        optimizer.add(
            e.getKey(), DType.F32, e.getValue().getShape().getShape(), e.getValue().toFloatArray());
      }
      String optimizerSha = optimizer.write(local);
      store.put(local, stem + ".optimizer.safetensors");
      return new StepFiles(
          stem + ".safetensors", info.sha256(), stem + ".optimizer.safetensors", optimizerSha);
    } finally {
      Files.deleteIfExists(local);
    }
  }

  /** Copies the store's file {@code from} (checked against {@code sha}) to {@code to}. */
  static void copy(ModelStore store, String from, String sha, String to) throws IOException {
    Path local = store.fetchVerified(from, sha);
    try {
      store.put(local, to);
    } finally {
      Files.deleteIfExists(local);
    }
  }

  /**
   * The position a savepoint holds: the same, with every file it needs copied to a directory of its
   * own ({@code <savepoints>/<savepoint id>-<random>/}), which no checkpoint's clean-up touches.
   */
  static TrainerPosition forSavepoint(
      ModelStore store,
      ContrastiveTrainer trainer,
      TrainerPosition position,
      String savepoints,
      long savepointId)
      throws IOException {
    String directory =
        String.format(
            "%s/%d-%s",
            savepoints, savepointId, java.util.UUID.randomUUID().toString().substring(0, 8));
    TrainerPosition p = position.copy();
    if (position.step > 0) {
      StepFiles written = write(store, trainer, position.step, directory);
      p.weights = written.weights();
      p.weightsSha256 = written.weightsSha256();
      p.optimizer = written.optimizer();
      p.optimizerSha256 = written.optimizerSha256();
    }
    if (position.served != null) {
      p.served = directory + "/served.safetensors";
      copy(store, position.served, position.servedSha256, p.served);
    }
    LOG.info("savepoint {}: step {} with its files in {}", savepointId, p.step, directory);
    return p;
  }
}
