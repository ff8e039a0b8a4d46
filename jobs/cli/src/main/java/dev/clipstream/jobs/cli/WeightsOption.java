package dev.clipstream.jobs.cli;

import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.nn.Activation;
import dev.clipstream.model.weights.SafeTensorsFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The checkpoint a command loads and what it needs said about it (activation, config), the
 * TorchScript opt-in, and the device and precision, shared by the model commands.
 */
final class WeightsOption {

  @Option(
      names = "--weights",
      description =
          "CLIP checkpoint: OpenAI-named safetensors (with its manifest), a Hugging Face or"
              + " open_clip folder, or a TorchScript .pt with --allow-torchscript (default: the"
              + " embedded default model).")
  Path weights;

  @Option(
      names = "--allow-torchscript",
      description = "Allow TorchScript archives. They carry code: only for files you trust.")
  boolean allowTorchScript;

  @Option(
      names = "--activation",
      description =
          "MLP activation of a checkpoint that does not describe itself: quick_gelu (OpenAI's"
              + " models) or gelu (most open_clip models).")
  String activation;

  @Option(
      names = "--config",
      description =
          "The checkpoint's config JSON: Hugging Face config.json, an open_clip model config, or"
              + " OpenAI's CLIP arguments.")
  Path config;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto, cpu, gpu or gpu:N (default ${DEFAULT-VALUE}).")
  String device = "auto";

  @Option(
      names = "--precision",
      defaultValue = "float32",
      description =
          "float32 or float16 (bfloat16 is refused: DJL 0.35.1 cannot create such tensors)"
              + " (default ${DEFAULT-VALUE}).")
  String precision = "float32";

  /** A short name for reports: the file name, or "default model". */
  String name() {
    return weights == null ? "default model" : weights.getFileName().toString();
  }

  /** The load options these flags describe, with bad values as one-line user errors. */
  LoadOptions options() {
    LoadOptions.Builder builder = LoadOptions.builder().optAllowTorchScript(allowTorchScript);
    try {
      if (activation != null) {
        builder.optActivation(Activation.parse(activation));
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    if (config != null) {
      builder.optConfig(CliFiles.readable(config));
    }
    builder.optPrecision(DeviceOptions.precision(precision));
    try {
      DeviceOptions.device(device).resolve(0).ifPresent(builder::optDevice);
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage(), e);
    }
    return builder.build();
  }

  /** Loads the model, turning a bad file into a one-line user error. */
  ClipModel load(PrintWriter err) throws IOException {
    LoadOptions options = options();
    if (weights == null) {
      return DefaultModel.load(options);
    }
    if (allowTorchScript) {
      err.println(
          "clipstream: warning: --allow-torchscript loads code from "
              + weights
              + "; use it only for files you trust");
    }
    try {
      return ClipModel.load(CliFiles.checkpoint(weights), options);
    } catch (SecurityException e) {
      throw new UserError(
          weights
              + " is a TorchScript archive, which runs code when loaded: pass --allow-torchscript"
              + " if you trust its source, or convert it once with clipstream model convert"
              + " --from openai-pt",
          e);
    } catch (SafeTensorsFormatException
        | IllegalArgumentException
        | IllegalStateException
        | IOException e) {
      String message = e.getMessage();
      throw new UserError(
          message != null && message.startsWith(weights.toString())
              ? message
              : weights + ": " + message,
          e);
    }
  }
}
