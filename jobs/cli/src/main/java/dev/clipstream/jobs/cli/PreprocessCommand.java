package dev.clipstream.jobs.cli;

import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.weights.DType;
import dev.clipstream.model.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clipstream preprocess}: images to CLIP input tensors, one per file name. */
@Command(
    name = "preprocess",
    mixinStandardHelpOptions = true,
    description =
        "Preprocess images as OpenAI's CLIP does and write one F32 [3,N,N] tensor per file name.")
final class PreprocessCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--size",
      defaultValue = "224",
      description = "Input size N (default ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--out", required = true, description = "The .safetensors file to write.")
  Path out;

  @Option(
      names = "--apply-icc-profiles",
      description = {
        "Convert images with an embedded ICC profile to sRGB through it. Off by default: OpenAI's",
        "pipeline (Pillow) ignores embedded profiles, and its embeddings were made that way."
      })
  boolean applyIccProfiles;

  @Parameters(
      arity = "1..*",
      paramLabel = "IMAGE",
      description = "PNG, JPEG, GIF, BMP, TIFF or WebP files.")
  List<Path> images;

  @Override
  public Integer call() throws IOException {
    if (size < 1) {
      throw new UserError("--size must be positive");
    }
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(PreprocessOptions.defaults(size).withIccProfiles(applyIccProfiles));
    SafeTensorsWriter writer = new SafeTensorsWriter().metadata("n_px", Integer.toString(size));
    for (Path image : images) {
      ImagePreprocessor.Outcome outcome =
          preprocessor.preprocess(Files.readAllBytes(CliFiles.readable(image)));
      if (outcome instanceof ImagePreprocessor.Refused refused) {
        throw new UserError(image + ": " + refused.rejection().message());
      }
      writer.add(
          image.getFileName().toString(),
          DType.F32,
          new long[] {3, size, size},
          ((ImagePreprocessor.Pixels) outcome).chw());
    }
    String sha = writer.write(out);
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %d tensors [3,%d,%d] to %s (sha256 %s)%n", images.size(), size, size, out, sha);
    return 0;
  }
}
