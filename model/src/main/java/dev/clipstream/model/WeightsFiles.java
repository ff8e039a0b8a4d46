package dev.clipstream.model;

import dev.clipstream.model.weights.SafeTensorsSource;
import dev.clipstream.model.weights.TensorSource;
import dev.clipstream.model.weights.TorchScriptSource;
import dev.clipstream.model.weights.WeightsFormat;
import java.io.IOException;
import java.nio.file.Path;

/** Opens a weights file as named tensors, choosing the reader by content and options. */
final class WeightsFiles {
  private WeightsFiles() {}

  /** Safetensors always; TorchScript only when allowed; anything else refused with a reason. */
  static TensorSource open(Path weights, LoadOptions options) throws IOException {
    return switch (WeightsFormat.detect(weights)) {
      case SAFETENSORS -> SafeTensorsSource.open(weights);
      case TORCHSCRIPT -> {
        if (!options.allowTorchScript()) {
          throw new SecurityException(
              weights
                  + " is a TorchScript archive, which can run code when loaded. If you trust where"
                  + " it came from, load it with LoadOptions.builder().optAllowTorchScript(true),"
                  + " or convert it once to safetensors with TorchScriptSource.convert(...)");
        }
        yield TorchScriptSource.open(weights);
      }
      case PYTORCH_PICKLE ->
          throw new IncompatibleWeightsException(
              weights
                  + " is a torch.save pickle checkpoint, which Java cannot read safely; save its"
                  + " state_dict with safetensors.torch.save_file and load that");
      case UNKNOWN ->
          throw new IncompatibleWeightsException(
              weights + " is neither a safetensors file nor a TorchScript archive");
    };
  }
}
