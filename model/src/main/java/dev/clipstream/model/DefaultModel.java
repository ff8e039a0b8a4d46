package dev.clipstream.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipstream.model.weights.SafeTensorsFile;
import dev.clipstream.model.weights.SafeTensorsSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The embedded default model: a small CLIP that {@code clipstream train} trained on Fashion-MNIST
 * with captions, shipped on the class path so that the demo starts without downloading weights. Its
 * manifest says how it was made and what it scored.
 */
public final class DefaultModel {

  /** Class-path folder of the default weights and manifest. */
  static final String FOLDER = "/dev/clipstream/model/default/";

  /** The weights file (F16 safetensors in OpenAI's names). */
  public static final String WEIGHTS = "fashion-clip.safetensors";

  /** Its manifest. */
  public static final String MANIFEST = "fashion-clip.manifest.json";

  /**
   * The same recipe trained without the Bag and Ankle boot classes: the starting point of the
   * continual-training demo, which has to learn those two from the stream.
   */
  public static final String WITHOUT_BAG_ANKLE_BOOT =
      "fashion-clip-without-bag-ankle-boot.safetensors";

  private DefaultModel() {}

  /**
   * Writes the shipped weights file {@code name} (e.g. {@link #WEIGHTS}) to {@code target}, and its
   * manifest beside it so that the copy still describes itself.
   */
  public static void copyTo(String name, java.nio.file.Path target) throws IOException {
    java.nio.file.Files.write(target, bytes(name));
    java.nio.file.Files.write(WeightsManifest.pathFor(target), bytes(manifestOf(name)));
  }

  private static String manifestOf(String weights) {
    return weights.replace(".safetensors", ".manifest.json");
  }

  /** Loads the default model for serving. */
  public static ClipModel load() {
    return load(LoadOptions.defaults());
  }

  /** Loads the default model with the given options (e.g. trainable, for the training job). */
  public static ClipModel load(LoadOptions options) {
    ModelDescription description =
        WeightsManifest.readConfig(manifest())
            .map(config -> ModelDescription.of(config, "the default model's manifest"))
            .orElseThrow(() -> new IllegalStateException(MANIFEST + " has no configuration"));
    return ClipModel.load(
        new SafeTensorsSource(SafeTensorsFile.read(bytes(WEIGHTS)), "the default model"),
        LoadOptions.builder()
            .optAllowTorchScript(options.allowTorchScript())
            .optTrainable(options.trainable())
            .optPrecision(options.precision())
            .optDescription(description)
            .build(options.device()));
  }

  /** The default model's manifest. */
  public static JsonNode manifest() {
    try {
      return new ObjectMapper().readTree(bytes(MANIFEST));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A version string for results: the first 12 hex digits of the weights' SHA-256. */
  public static String version() {
    return "default-" + manifest().path("sha256").asText("unknown").substring(0, 12);
  }

  static byte[] bytes(String name) {
    try (InputStream in = DefaultModel.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
