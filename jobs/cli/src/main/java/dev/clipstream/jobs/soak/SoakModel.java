package dev.clipstream.jobs.soak;

import dev.clipstream.model.ClipModel;
import dev.clipstream.model.EncoderBenchmark;
import dev.clipstream.model.WeightsManifest;
import dev.clipstream.model.weights.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model a soak serves: the embedded default, or a ViT-B/32-sized CLIP (OpenAI's shapes, {@link
 * EncoderBenchmark#VIT_B_32}, 151 M parameters) with random weights from a fixed seed, written once
 * to a cache folder so that later runs load the same file. Its labels mean nothing; its memory and
 * compute are those of the real ViT-B/32.
 */
public enum SoakModel {
  DEFAULT,
  VIT_B_32;

  /** The seed of the random ViT-B/32 weights: the bench's, so both measure the same model. */
  static final long SEED = 0;

  /** File name of the cached ViT-B/32 weights, seed in the name. */
  static final String VIT_B_32_FILE = "vit-b-32-random-seed-" + SEED + ".safetensors";

  /**
   * The weights the tagging job should load: {@code ""} (its embedded default) or the cached
   * ViT-B/32 file, written first when {@code cache} does not hold it yet.
   */
  public String weights(Path cache, PrintWriter log) throws IOException {
    if (this == DEFAULT) {
      return "";
    }
    Path file = cache.resolve(VIT_B_32_FILE).toAbsolutePath();
    if (Files.isRegularFile(file) && Files.isRegularFile(WeightsManifest.pathFor(file))) {
      log.printf("soak: ViT-B/32-sized random weights from %s%n", file);
      return file.toString();
    }
    Files.createDirectories(cache);
    log.printf("soak: writing ViT-B/32-sized random weights (seed %d) to %s ...%n", SEED, file);
    log.flush();
    // F16 as OpenAI ships its weights: half the file; the job computes in float32 either way.
    try (ClipModel model = ClipModel.initialise(EncoderBenchmark.VIT_B_32, SEED)) {
      model.save(
          file,
          DType.F16,
          Map.of("source", "random initialisation, seed " + SEED + " (clipstream soak)"));
    }
    return file.toString();
  }
}
