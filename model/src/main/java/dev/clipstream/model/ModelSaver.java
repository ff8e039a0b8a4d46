package dev.clipstream.model;

import ai.djl.nn.Parameter;
import dev.clipstream.model.weights.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Writes a {@link ClipModel}'s weights and their manifest: {@link ClipModel#save}. */
final class ModelSaver {

  private ModelSaver() {}

  /**
   * Every parameter in OpenAI's names to a safetensors file stored as {@code dtype}, with the
   * configuration in its metadata, then the manifest beside it; both atomically.
   */
  static WeightsInfo save(ClipModel model, Path weights, DType dtype, Map<String, String> fields)
      throws IOException {
    WeightsManifest.requireNoReservedKeys(fields);
    ClipConfig config = model.config();
    // The configuration travels inside the file too, so a copy without its manifest (a model
    // store's download, a renamed file) still says its activation.
    String sha256 =
        model
            .asTensorSource()
            .writeSafeTensors(
                weights,
                dtype,
                Map.of(
                    "format",
                    "pt",
                    WeightsManifest.METADATA_KEY,
                    WeightsManifest.configJson(config)));
    long count = 0;
    for (Parameter parameter : model.parameters().values()) {
      count += parameter.getArray().size();
    }
    Path manifest = WeightsManifest.write(weights, sha256, dtype, count, config, fields);
    return new WeightsInfo(weights, manifest, sha256, dtype, count, config);
  }
}
