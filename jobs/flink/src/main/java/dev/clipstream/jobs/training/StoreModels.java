package dev.clipstream.jobs.training;

import ai.djl.ndarray.types.Shape;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.jobs.control.StartWeights;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.training.ContrastiveTrainer;
import dev.clipstream.model.weights.SafeTensorsFile;
import dev.clipstream.model.weights.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the trainer's models come from: the configured start weights or files of its store. */
final class StoreModels {
  private StoreModels() {}

  /** The configured weights (any Flink FileSystem URI), or the embedded default when none. */
  static ClipModel configured(String weights, boolean trainable) throws IOException {
    LoadOptions options = LoadOptions.builder().optTrainable(trainable).build();
    if (weights.isEmpty()) {
      return DefaultModel.load(options);
    }
    try (StartWeights.Local local = StartWeights.fetch(weights)) {
      return ClipModel.load(local.path(), options);
    }
  }

  /** A weights file of the store, checked against the SHA-256 the checkpoint recorded. */
  static ClipModel fromStore(ModelStore store, String name, String sha, boolean trainable)
      throws IOException {
    Path local = store.fetchVerified(name, sha);
    try {
      return ClipModel.load(local, LoadOptions.builder().optTrainable(trainable).build());
    } finally {
      Files.deleteIfExists(local);
    }
  }

  /** Puts the optimiser's moments of {@code step} back from a file of the store. */
  static void restoreOptimizer(
      ModelStore store, ContrastiveTrainer trainer, String name, String sha, long step)
      throws IOException {
    Path local = store.fetchVerified(name, sha);
    try {
      SafeTensorsFile file = SafeTensorsFile.read(local);
      Map<String, float[]> values = new LinkedHashMap<>();
      Map<String, Shape> shapes = new LinkedHashMap<>();
      for (Map.Entry<String, TensorInfo> e : file.tensors().entrySet()) {
        values.put(e.getKey(), file.floats(e.getKey()));
        shapes.put(e.getKey(), new Shape(e.getValue().shape()));
      }
      trainer.optimizer().restore(values, shapes, step);
    } finally {
      Files.deleteIfExists(local);
    }
  }
}
