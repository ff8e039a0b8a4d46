package dev.clipstream.jobs.tagging;

import ai.djl.Device;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.jobs.control.StartWeights;
import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.ModelDescription;
import dev.clipstream.model.Precision;
import dev.clipstream.model.engine.DjlRuntime;
import dev.clipstream.model.engine.ModelDevice;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.schemas.ModelUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The model a task manager serves, with its version and tokenizer; shared by its slots. */
public record ServingModel(ClipModel model, String version, ClipTokenizer tokenizer)
    implements AutoCloseable {

  /** One slot's hold on a shared model; closing it gives the hold back. */
  public record Lease(String key, ServingModel serving) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      SharedResources.release(key);
    }
  }

  /** Where a slot's model lives and in which precision. */
  record Placement(Device device, Precision precision) {
    /** The placement of slot {@code slot} under the job's device and precision settings. */
    static Placement of(String device, String precision, int slot) {
      return new Placement(
          ModelDevice.parse(device).forSlot(slot, DjlRuntime.engine().getGpuCount()),
          Precision.parse(precision));
    }

    LoadOptions options() {
      return LoadOptions.builder().optDevice(device).optPrecision(precision).build();
    }

    /**
     * As {@link #options()}, with what the checkpoint's own files do not say taken from {@code
     * served}.
     */
    LoadOptions options(ModelDescription served) {
      return LoadOptions.builder()
          .optDevice(device)
          .optPrecision(precision)
          .optDescription(served)
          .build();
    }

    @Override
    public String toString() {
      return ModelDevice.name(device) + " in " + precision;
    }
  }

  /**
   * The configured weights (empty: the embedded default model; else a path or file system URI read
   * here, on the TaskManager), loaded once per process and placement: the slots placed on one GPU
   * share one copy.
   */
  static Lease acquire(String weights, Placement placement) throws Exception {
    String key = "model:" + weights + "@" + placement;
    return new Lease(key, SharedResources.acquire(key, () -> load(weights, placement)));
  }

  /**
   * The weights a model update names, fetched from the store and checked (SHA-256, then every
   * tensor's shape against {@code expected}, the served model's configuration); loaded once per
   * process, keyed by content.
   *
   * @throws Exception with a one-line reason when the file is refused or does not load
   */
  static Lease acquire(
      ModelStore store, ModelUpdate update, ClipConfig expected, Placement placement)
      throws Exception {
    String key =
        "model:sha256:" + update.getWeightsSha256().toString().toLowerCase() + "@" + placement;
    return new Lease(
        key, SharedResources.acquire(key, () -> load(store, update, expected, placement)));
  }

  private static ServingModel load(String weights, Placement placement) throws IOException {
    if (weights.isEmpty()) {
      return new ServingModel(
          DefaultModel.load(placement.options()), DefaultModel.version(), ClipTokenizer.load());
    }
    try (StartWeights.Local local = StartWeights.fetch(weights)) {
      return new ServingModel(
          ClipModel.load(local.path(), placement.options()),
          StartWeights.version(weights),
          ClipTokenizer.load());
    }
  }

  private static ServingModel load(
      ModelStore store, ModelUpdate update, ClipConfig expected, Placement placement)
      throws IOException {
    if (!store.isConfigured()) {
      throw new IOException("no model store is configured (model.store), so no update is loaded");
    }
    Path local = store.fetchVerified(update);
    ClipModel model;
    try {
      // An update must have the served model's architecture (checked below), so the served
      // model's description (activation, heads) applies to a file that carries none; one that
      // says otherwise is refused.
      model =
          ClipModel.load(
              local,
              placement.options(ModelDescription.of(expected, "the served model's configuration")));
    } catch (RuntimeException e) {
      throw new IOException("weights of " + update.getModelVersion() + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(local);
    }
    if (!model.config().equals(expected)) {
      model.close();
      throw new IOException(
          "weights of "
              + update.getModelVersion()
              + " have another architecture ("
              + model.config()
              + ") than the served model ("
              + expected
              + ")");
    }
    return new ServingModel(model, update.getModelVersion().toString(), ClipTokenizer.load());
  }

  @Override
  public void close() {
    model.close();
  }
}
