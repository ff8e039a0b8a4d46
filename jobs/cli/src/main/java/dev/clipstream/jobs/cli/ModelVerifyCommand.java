package dev.clipstream.jobs.cli;

import dev.clipstream.model.ClipModel;
import dev.clipstream.model.ReferenceCheck;
import dev.clipstream.model.weights.SafeTensorsFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream model verify}: compares a model's outputs with reference outputs. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Run the reference pixel_values and input_ids through the model and compare image_embeds,",
      "text_embeds and logits_per_image: prints max|ours - ref| / max|ref| of each, exits 1 above the threshold."
    })
final class ModelVerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin WeightsOption weights;

  @Option(
      names = "--reference",
      required = true,
      description = "safetensors with pixel_values, input_ids and the expected outputs.")
  Path reference;

  @Option(
      names = "--batch-size",
      split = ",",
      defaultValue = "1,6",
      description = "Batch sizes to check (default ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Option(
      names = "--threshold",
      defaultValue = "1e-4",
      description = "Largest relative error accepted (default ${DEFAULT-VALUE}).")
  double threshold;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    SafeTensorsFile io = SafeTensorsFile.read(CliFiles.readable(reference));
    boolean passed = true;
    try (ClipModel model = weights.load(spec.commandLine().getErr())) {
      out.printf("model %s%n", model.config());
      for (int batch : batchSizes) {
        ReferenceCheck.Result result = ReferenceCheck.run(model, io, batch);
        boolean ok = result.passed(threshold);
        passed &= ok;
        out.printf("%s  %s%n", result, ok ? "ok" : "FAILED (threshold " + threshold + ")");
      }
    }
    out.println(passed ? "verified: matches the reference" : "NOT verified");
    out.flush();
    return passed ? 0 : 1;
  }
}
