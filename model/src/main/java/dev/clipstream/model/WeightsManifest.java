package dev.clipstream.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipstream.model.weights.AtomicFiles;
import dev.clipstream.model.weights.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The small JSON file saved beside a weights file ({@code model.safetensors} → {@code
 * model.manifest.json}): the configuration, the weights' SHA-256 and dtype, when it was written,
 * and the caller's fields (such as {@code step} and {@code source}).
 */
public final class WeightsManifest {

  /** The manifest's own keys, which caller fields may not replace. */
  static final Set<String> RESERVED =
      Set.of("format", "weights", "sha256", "dtype", "parameters", "config", "created");

  /**
   * Names this layout so that readers can tell versions apart. Version 2 added the activation (and
   * head counts, epsilon, ResNet stages) to {@code config}; version 1 was only ever written for
   * QuickGELU ViTs, so a version-1 config without an activation is QuickGELU.
   */
  static final String FORMAT = "clipstream-clip-weights/2";

  private static final String FORMAT_PREFIX = "clipstream-clip-weights/";
  private static final String FORMAT_1 = "clipstream-clip-weights/1";

  /** The safetensors metadata key under which clipstream stores the configuration JSON. */
  public static final String METADATA_KEY = "clipstream.config";

  private static final String SUFFIX = ".safetensors";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private WeightsManifest() {}

  /** Where the manifest of {@code weights} lives. */
  public static Path pathFor(Path weights) {
    String name = weights.getFileName().toString();
    String stem = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
    return weights.resolveSibling(stem + ".manifest.json");
  }

  /** Writes the manifest atomically and returns where it went. */
  static Path write(
      Path weights,
      String sha256,
      DType dtype,
      long parameterCount,
      ClipConfig config,
      Map<String, String> fields)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("weights", weights.getFileName().toString());
    root.put("sha256", sha256);
    root.put("dtype", dtype.name());
    root.put("parameters", parameterCount);
    root.set("config", JSON.valueToTree(config));
    root.put("created", Instant.now().toString());
    fields.forEach(root::put);
    Path manifest = pathFor(weights);
    AtomicFiles.write(manifest, out -> out.write(JSON.writeValueAsBytes(root)));
    return manifest;
  }

  /** The configuration as compact JSON, for the safetensors metadata. */
  static String configJson(ClipConfig config) {
    try {
      return new ObjectMapper().writeValueAsString(config);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The configuration a manifest (or its {@code config} node) holds, reading version 1's missing
   * activation as QuickGELU; empty when the file is no clipstream manifest.
   */
  public static java.util.Optional<ClipConfig> readConfig(
      com.fasterxml.jackson.databind.JsonNode root) {
    String format = root.path("format").asText("");
    if (!format.startsWith(FORMAT_PREFIX) || !root.path("config").isObject()) {
      return java.util.Optional.empty();
    }
    ObjectNode config = ((ObjectNode) root.get("config")).deepCopy();
    if (format.equals(FORMAT_1) && !config.has("activation")) {
      config.put("activation", dev.clipstream.model.nn.Activation.QUICK_GELU.key());
    }
    try {
      return java.util.Optional.of(JSON.treeToValue(config, ClipConfig.class));
    } catch (IOException | IllegalArgumentException e) {
      throw new IncompatibleWeightsException(
          "its manifest's config is not valid: " + e.getMessage().split("\n")[0]);
    }
  }

  /** What the manifest beside {@code weights} says, if there is one. */
  public static java.util.Optional<ModelDescription> describe(Path weights) throws IOException {
    Path manifest = pathFor(weights);
    if (!java.nio.file.Files.isRegularFile(manifest)) {
      return java.util.Optional.empty();
    }
    return readConfig(JSON.readTree(manifest.toFile()))
        .map(config -> ModelDescription.of(config, manifest.toString()));
  }

  /** Refuses caller fields that would overwrite the manifest's own keys. */
  static void requireNoReservedKeys(Map<String, String> fields) {
    for (String key : fields.keySet()) {
      if (RESERVED.contains(key)) {
        throw new IllegalArgumentException(
            "manifest field '" + key + "' is written by save itself");
      }
    }
  }
}
