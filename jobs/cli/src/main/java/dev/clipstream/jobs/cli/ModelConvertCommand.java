package dev.clipstream.jobs.cli;

import dev.clipstream.model.IncompatibleWeightsException;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.WeightsInfo;
import dev.clipstream.model.checkpoint.Checkpoint.Layout;
import dev.clipstream.model.checkpoint.CheckpointConverter;
import dev.clipstream.model.nn.Activation;
import dev.clipstream.model.weights.DType;
import dev.clipstream.model.weights.SafeTensorsFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream model convert}: any checkpoint layout clipstream reads to OpenAI-named
 * safetensors plus manifest, the one format the jobs load.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert an OpenAI TorchScript .pt, a Hugging Face CLIPModel folder or an open_clip",
      "checkpoint to OpenAI-named safetensors plus clipstream's manifest (configuration with",
      "the activation, SHA-256, source), which the jobs, model publish and the trainer load."
    })
final class ModelConvertCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, description = "openai-pt, hf or open-clip.")
  String from;

  @Parameters(index = "0", description = "The checkpoint (file or folder).")
  Path in;

  @Option(names = "--out", required = true, description = "The safetensors file to write.")
  Path out;

  @Option(
      names = "--dtype",
      defaultValue = "F32",
      description =
          "F32, F16 or BF16 (default ${DEFAULT-VALUE}; F16/BF16 sources convert exactly).")
  String dtype;

  @Option(
      names = "--activation",
      description = "quick_gelu or gelu, for a checkpoint whose files do not say.")
  String activation;

  @Option(
      names = "--config",
      description = "The checkpoint's config JSON (open_clip model config, Hugging Face config).")
  Path config;

  @Override
  public Integer call() throws IOException {
    PrintWriter report = spec.commandLine().getOut();
    Layout layout =
        Arrays.stream(Layout.values())
            .filter(l -> l.key().equals(from) && l != Layout.OPENAI_SAFETENSORS)
            .findFirst()
            .orElseThrow(
                () -> new UserError("--from " + from + " is not openai-pt, hf or open-clip"));
    LoadOptions.Builder options = LoadOptions.builder();
    DType stored;
    try {
      if (activation != null) {
        options.optActivation(Activation.parse(activation));
      }
      stored = DType.parse(dtype.toUpperCase(java.util.Locale.ROOT));
      if (!stored.isFloating() || stored == DType.F64) {
        throw new IllegalArgumentException("--dtype " + dtype + " is not F32, F16 or BF16");
      }
    } catch (IllegalArgumentException | SafeTensorsFormatException e) {
      throw new UserError(e.getMessage(), e);
    }
    if (config != null) {
      options.optConfig(CliFiles.readable(config));
    }
    if (layout == Layout.OPENAI_TORCHSCRIPT) {
      spec.commandLine()
          .getErr()
          .println(
              "clipstream: warning: reading a TorchScript archive loads its code; convert only files you trust");
    }
    WeightsInfo info;
    try {
      info =
          CheckpointConverter.convert(
              CliFiles.checkpoint(in), layout, out, stored, options.build());
    } catch (SafeTensorsFormatException | IncompatibleWeightsException | IllegalStateException e) {
      String message = e.getMessage();
      throw new UserError(message.startsWith(in.toString()) ? message : in + ": " + message, e);
    }
    report.printf(
        "converted %s (%s) to %s: %s, %d parameters, sha256 %s%n",
        in,
        layout.key(),
        info.weights(),
        info.config().activation(),
        info.parameterCount(),
        info.sha256());
    report.printf("manifest %s%n", info.manifest());
    report.flush();
    return 0;
  }
}
