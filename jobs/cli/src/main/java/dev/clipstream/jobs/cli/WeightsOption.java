package dev.clipstream.jobs.cli;

import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.weights.SafeTensorsFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The weights a command loads, and the TorchScript opt-in, shared by the model commands. */
final class WeightsOption {

  @Option(
      names = "--weights",
      description =
          "CLIP weights: safetensors in OpenAI's names, or a TorchScript .pt with --allow-torchscript"
              + " (default: the embedded default model).")
  Path weights;

  @Option(
      names = "--allow-torchscript",
      description = "Allow TorchScript archives. They carry code: only for files you trust.")
  boolean allowTorchScript;

  /** A short name for reports: the file name, or "default model". */
  String name() {
    return weights == null ? "default model" : weights.getFileName().toString();
  }

  /** Loads the model, turning a bad file into a one-line user error. */
  ClipModel load(PrintWriter err) throws IOException {
    if (weights == null) {
      return DefaultModel.load();
    }
    CliFiles.readable(weights);
    if (allowTorchScript) {
      err.println(
          "clipstream: warning: --allow-torchscript loads code from "
              + weights
              + "; use it only for files you trust");
    }
    try {
      return ClipModel.load(
          weights, LoadOptions.builder().optAllowTorchScript(allowTorchScript).build());
    } catch (SecurityException e) {
      throw new UserError(
          weights
              + " is a TorchScript archive, which runs code when loaded: pass --allow-torchscript if you trust its source",
          e);
    } catch (SafeTensorsFormatException
        | IllegalArgumentException
        | IllegalStateException
        | IOException e) {
      throw new UserError(weights + ": " + e.getMessage(), e);
    }
  }
}
