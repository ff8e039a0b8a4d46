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

  /** Names this layout so that readers can tell later versions apart. */
  static final String FORMAT = "clipstream-clip-weights/1";

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
