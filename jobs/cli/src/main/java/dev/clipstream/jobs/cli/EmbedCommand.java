package dev.clipstream.jobs.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream embed}: images and texts in, L2-normalised CLIP embeddings out as JSON lines.
 */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description =
        "Print one JSON line per image or text: {\"image\"|\"text\": ..., \"embedding\": [...]} (L2-normalised).")
final class EmbedCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin WeightsOption weights;

  @Option(names = "--image", description = "Image files to embed.")
  List<Path> images = List.of();

  @Option(names = "--text", description = "Texts to embed.")
  List<String> texts = List.of();

  @Override
  public Integer call() throws IOException {
    if (images.isEmpty() && texts.isEmpty()) {
      throw new UserError("give at least one --image or --text");
    }
    ObjectMapper json = new ObjectMapper();
    PrintWriter out = spec.commandLine().getOut();
    try (ClipModel model = weights.load(spec.commandLine().getErr());
        NDManager batch = model.newBatchManager()) {
      int side = model.config().imageResolution();
      ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(side));
      for (Path image : images) {
        ImagePreprocessor.Outcome outcome =
            preprocessor.preprocess(Files.readAllBytes(CliFiles.readable(image)));
        if (outcome instanceof ImagePreprocessor.Refused refused) {
          throw new UserError(image + ": " + refused.rejection().message());
        }
        NDArray features =
            model.encodeImage(
                batch.create(
                    ((ImagePreprocessor.Pixels) outcome).chw(), new Shape(1, 3, side, side)));
        print(out, json, "image", image.toString(), features.div(features.norm()).toFloatArray());
      }
      if (!texts.isEmpty()) {
        float[] all =
            new ClipTextEmbedder(model, ClipTokenizer.load()).embed(batch, texts).toFloatArray();
        int d = all.length / texts.size();
        for (int i = 0; i < texts.size(); i++) {
          print(
              out,
              json,
              "text",
              texts.get(i),
              java.util.Arrays.copyOfRange(all, i * d, (i + 1) * d));
        }
      }
    }
    out.flush();
    return 0;
  }

  private static void print(
      PrintWriter out, ObjectMapper json, String kind, String what, float[] embedding)
      throws IOException {
    ObjectNode row = json.createObjectNode().put(kind, what);
    ArrayNode values = row.putArray("embedding");
    for (float v : embedding) {
      values.add(v);
    }
    out.println(json.writeValueAsString(row));
  }
}
