package dev.clipstream.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Values for training from scratch, after OpenAI's {@code CLIP.initialize_parameters}, seeded and
 * deterministic.
 *
 * <p>OpenAI's rules, by parameter name: token embedding N(0, 0.02²), text positions N(0, 0.01²),
 * class embedding, image positions and {@code visual.proj} N(0, width⁻¹), {@code text_projection}
 * N(0, width⁻¹); in each transformer {@code in_proj_weight} std width^-½, {@code out_proj} and
 * {@code c_proj} std width^-½·(2·layers)^-½, {@code c_fc} std (2·width)^-½. OpenAI applies the
 * transformer rule to the text tower and leaves the image tower's blocks at PyTorch's defaults;
 * here both towers use it with their own width and depth, so the two start alike. Biases start at
 * 0, LayerNorms at 1 and 0, {@code conv1} as PyTorch's default (uniform ±fan_in^-½) and {@code
 * logit_scale} at ln(1/0.07). Each parameter draws from its own generator seeded by the seed and
 * its name, so values do not depend on the order parameters are visited in.
 */
final class ClipInitializer {

  /** CLIP's initial temperature 0.07, from the paper, stored as ln(1/0.07). */
  static final float INITIAL_LOGIT_SCALE = (float) Math.log(1 / 0.07);

  /** OpenAI's std for token embeddings. */
  static final double TOKEN_EMBEDDING_STD = 0.02;

  /** OpenAI's std for text positional embeddings. */
  static final double TEXT_POSITION_STD = 0.01;

  /** Golden-ratio increment (as in SplittableRandom) to spread the seed across names. */
  private static final long SEED_MIX = 0x9E3779B97F4A7C15L;

  private final ClipConfig config;
  private final long seed;

  ClipInitializer(ClipConfig config, long seed) {
    this.config = config;
    this.seed = seed;
  }

  /** The initial values of the parameter {@code name} of the given shape. */
  float[] values(String name, long[] shape) {
    int count = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
    SplittableRandom random = new SplittableRandom(seed * SEED_MIX + name.hashCode());
    if (name.equals("logit_scale")) {
      return constant(count, INITIAL_LOGIT_SCALE);
    }
    if (isLayerNorm(name)) {
      return constant(count, name.endsWith(".weight") ? 1f : 0f);
    }
    if (name.endsWith("bias")) {
      return constant(count, 0f);
    }
    if (name.equals("visual.conv1.weight")) {
      return uniform(random, count, Math.pow(shape[1] * shape[2] * shape[3], -0.5));
    }
    return normal(random, count, std(name));
  }

  private double std(String name) {
    boolean visual = name.startsWith("visual.");
    double width = visual ? config.visionWidth() : config.transformerWidth();
    double layers = visual ? config.visionLayers() : config.transformerLayers();
    if (name.equals("token_embedding.weight")) {
      return TOKEN_EMBEDDING_STD;
    }
    if (name.equals("positional_embedding")) {
      return TEXT_POSITION_STD;
    }
    if (name.endsWith(".attn.in_proj_weight")
        || name.equals("visual.class_embedding")
        || name.equals("visual.positional_embedding")
        || name.equals("visual.proj")
        || name.equals("text_projection")) {
      return Math.pow(width, -0.5);
    }
    if (name.endsWith(".attn.out_proj.weight") || name.endsWith(".mlp.c_proj.weight")) {
      return Math.pow(width, -0.5) * Math.pow(2 * layers, -0.5);
    }
    if (name.endsWith(".mlp.c_fc.weight")) {
      return Math.pow(2 * width, -0.5);
    }
    throw new IllegalStateException("no initialisation rule for " + name);
  }

  private static boolean isLayerNorm(String name) {
    String[] parts = name.split("\\.");
    return parts.length >= 2 && parts[parts.length - 2].startsWith("ln_");
  }

  private static float[] constant(int count, float value) {
    float[] out = new float[count];
    Arrays.fill(out, value);
    return out;
  }

  private static float[] normal(SplittableRandom random, int count, double std) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) (random.nextGaussian() * std);
    }
    return out;
  }

  private static float[] uniform(SplittableRandom random, int count, double bound) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) random.nextDouble(-bound, bound);
    }
    return out;
  }
}
