package dev.clipstream.model.checkpoint;

import ai.djl.Device;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.IncompatibleWeightsException;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.WeightsInfo;
import dev.clipstream.model.checkpoint.Checkpoint.Layout;
import dev.clipstream.model.weights.DType;
import dev.clipstream.model.weights.WeightsFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts a checkpoint of any layout clipstream reads into OpenAI-named safetensors with
 * clipstream's manifest (and the configuration in the file's metadata), which is what the jobs,
 * {@code model publish} and the continual trainer load.
 *
 * <p>The checkpoint is loaded as a model first, so a converted file has passed every check loading
 * makes (names, shapes, a described activation); F16 and BF16 sources convert to F32 exactly.
 */
public final class CheckpointConverter {

  private CheckpointConverter() {}

  /**
   * Converts {@code in}, which must be in layout {@code from}, to {@code out} stored as {@code
   * dtype}; {@code options} may state what the checkpoint does not (activation, config).
   */
  public static WeightsInfo convert(
      Path in, Layout from, Path out, DType dtype, LoadOptions options) throws IOException {
    LoadOptions load =
        LoadOptions.builder()
            .optAllowTorchScript(from == Layout.OPENAI_TORCHSCRIPT)
            .optDevice(Device.cpu())
            .optDescription(options.description().orElse(null))
            .optConfig(options.config().orElse(null))
            .optActivation(options.activation().orElse(null))
            .build();
    boolean archive =
        !java.nio.file.Files.isDirectory(in)
            && WeightsFormat.detect(in) == WeightsFormat.TORCHSCRIPT;
    if (archive != (from == Layout.OPENAI_TORCHSCRIPT)) {
      throw new IncompatibleWeightsException(
          in
              + (archive
                  ? " is a TorchScript archive, not " + from.key() + ": pass --from openai-pt"
                  : " is not a TorchScript archive, so not openai-pt"));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    try (Checkpoint checkpoint = Checkpoints.open(in, load)) {
      if (!compatible(from, checkpoint.layout())) {
        throw new IncompatibleWeightsException(
            in
                + " is a "
                + checkpoint.layout().key()
                + " checkpoint, not "
                + from.key()
                + ": pass --from "
                + checkpoint.layout().key());
      }
      fields.put("source", from.key() + " " + in.toAbsolutePath());
      fields.put("described_by", checkpoint.description().source());
      try (ClipModel model = ClipModel.load(checkpoint, load)) {
        return model.save(out, dtype, fields);
      }
    }
  }

  /** open_clip files are OpenAI-named: one without open_clip's config is still open_clip's. */
  private static boolean compatible(Layout asked, Layout found) {
    return asked == found
        || (asked == Layout.OPEN_CLIP && found == Layout.OPENAI_SAFETENSORS)
        || (asked == Layout.OPENAI_SAFETENSORS && found == Layout.OPEN_CLIP);
  }
}
