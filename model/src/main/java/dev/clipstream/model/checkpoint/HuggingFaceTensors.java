package dev.clipstream.model.checkpoint;

import dev.clipstream.model.weights.TensorSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face transformers {@code CLIPModel} state dict seen in OpenAI's names: the inverse of
 * transformers' own OpenAI-to-HF conversion. Separate {@code q_proj}, {@code k_proj}, {@code
 * v_proj} become one {@code in_proj_weight} (rows q, k, v), the projections ({@code
 * visual_projection}, {@code text_projection}, stored as {@code nn.Linear} weights) are transposed
 * back, and the rest is renamed ({@code pre_layrnorm}, sic, is {@code ln_pre}).
 *
 * <p>A tensor with no OpenAI counterpart keeps its Hugging Face name, so that loading names it as
 * unexpected; {@code position_ids} (an index buffer older transformers saved) is dropped.
 */
final class HuggingFaceTensors implements TensorSource {

  private static final Pattern LAYER =
      Pattern.compile("^(vision|text)_model\\.encoder\\.layers\\.(\\d+)\\.(.+)$");
  private static final Pattern QKV = Pattern.compile("^self_attn\\.([qkv])_proj\\.(weight|bias)$");
  private static final Map<String, String> TOP =
      Map.ofEntries(
          Map.entry("text_model.embeddings.token_embedding.weight", "token_embedding.weight"),
          Map.entry("text_model.embeddings.position_embedding.weight", "positional_embedding"),
          Map.entry("text_model.final_layer_norm.weight", "ln_final.weight"),
          Map.entry("text_model.final_layer_norm.bias", "ln_final.bias"),
          Map.entry("vision_model.embeddings.class_embedding", "visual.class_embedding"),
          Map.entry("vision_model.embeddings.patch_embedding.weight", "visual.conv1.weight"),
          Map.entry(
              "vision_model.embeddings.position_embedding.weight", "visual.positional_embedding"),
          Map.entry("vision_model.pre_layrnorm.weight", "visual.ln_pre.weight"),
          Map.entry("vision_model.pre_layrnorm.bias", "visual.ln_pre.bias"),
          Map.entry("vision_model.post_layernorm.weight", "visual.ln_post.weight"),
          Map.entry("vision_model.post_layernorm.bias", "visual.ln_post.bias"),
          Map.entry("logit_scale", "logit_scale"));
  private static final Map<String, String> TRANSPOSED =
      Map.of(
          "visual_projection.weight", "visual.proj", "text_projection.weight", "text_projection");
  private static final Map<String, String> IN_LAYER =
      Map.ofEntries(
          Map.entry("self_attn.out_proj.weight", "attn.out_proj.weight"),
          Map.entry("self_attn.out_proj.bias", "attn.out_proj.bias"),
          Map.entry("layer_norm1.weight", "ln_1.weight"),
          Map.entry("layer_norm1.bias", "ln_1.bias"),
          Map.entry("layer_norm2.weight", "ln_2.weight"),
          Map.entry("layer_norm2.bias", "ln_2.bias"),
          Map.entry("mlp.fc1.weight", "mlp.c_fc.weight"),
          Map.entry("mlp.fc1.bias", "mlp.c_fc.bias"),
          Map.entry("mlp.fc2.weight", "mlp.c_proj.weight"),
          Map.entry("mlp.fc2.bias", "mlp.c_proj.bias"));

  /** How one OpenAI tensor is made from Hugging Face tensors. */
  private record Recipe(List<String> parts, boolean transpose) {}

  private final TensorSource hf;
  private final Map<String, long[]> shapes = new LinkedHashMap<>();
  private final Map<String, Recipe> recipes = new LinkedHashMap<>();

  HuggingFaceTensors(TensorSource hf) {
    this.hf = hf;
    Map<String, long[]> theirs = hf.shapes();
    theirs.forEach((name, shape) -> map(name, shape, theirs));
  }

  /** Whether the names are Hugging Face's rather than OpenAI's. */
  static boolean looksLikeHuggingFace(Map<String, long[]> shapes) {
    return shapes.keySet().stream()
        .anyMatch(name -> name.startsWith("vision_model.") || name.startsWith("text_model."));
  }

  private void map(String name, long[] shape, Map<String, long[]> theirs) {
    if (name.endsWith(".position_ids")) {
      return;
    }
    if (TOP.containsKey(name)) {
      put(TOP.get(name), shape, List.of(name), false);
      return;
    }
    if (TRANSPOSED.containsKey(name) && shape.length == 2) {
      put(TRANSPOSED.get(name), new long[] {shape[1], shape[0]}, List.of(name), true);
      return;
    }
    Matcher layer = LAYER.matcher(name);
    if (layer.matches()) {
      String prefix =
          (layer.group(1).equals("vision") ? "visual." : "")
              + "transformer.resblocks."
              + layer.group(2)
              + ".";
      String rest = layer.group(3);
      if (IN_LAYER.containsKey(rest)) {
        put(prefix + IN_LAYER.get(rest), shape, List.of(name), false);
        return;
      }
      Matcher qkv = QKV.matcher(rest);
      if (qkv.matches()) {
        String base = name.substring(0, name.length() - rest.length()) + "self_attn.";
        String kind = qkv.group(2);
        List<String> parts = new ArrayList<>();
        for (String p : List.of("q", "k", "v")) {
          parts.add(base + p + "_proj." + kind);
        }
        if (parts.stream().allMatch(theirs::containsKey)) {
          if (qkv.group(1).equals("q")) {
            long[] fused = shape.clone();
            fused[0] = 0;
            for (String part : parts) {
              fused[0] += theirs.get(part)[0];
            }
            put(prefix + "attn.in_proj_" + kind, fused, parts, false);
          }
          return;
        }
      }
    }
    put(name, shape, List.of(name), false);
  }

  private void put(String name, long[] shape, List<String> parts, boolean transpose) {
    shapes.put(name, shape);
    recipes.put(name, new Recipe(parts, transpose));
  }

  @Override
  public Map<String, long[]> shapes() {
    return Collections.unmodifiableMap(shapes);
  }

  @Override
  public float[] floats(String name) {
    Recipe recipe = recipes.get(name);
    if (recipe == null) {
      throw new IllegalArgumentException(description() + " has no tensor '" + name + "'");
    }
    if (recipe.transpose()) {
      long[] shape = hf.shapes().get(recipe.parts().get(0));
      return transpose(hf.floats(recipe.parts().get(0)), (int) shape[0], (int) shape[1]);
    }
    if (recipe.parts().size() == 1) {
      return hf.floats(recipe.parts().get(0));
    }
    List<float[]> pieces = new ArrayList<>();
    int total = 0;
    for (String part : recipe.parts()) {
      float[] piece = hf.floats(part);
      pieces.add(piece);
      total += piece.length;
    }
    float[] out = new float[total];
    int at = 0;
    for (float[] piece : pieces) {
      System.arraycopy(piece, 0, out, at, piece.length);
      at += piece.length;
    }
    return out;
  }

  private static float[] transpose(float[] values, int rows, int columns) {
    float[] out = new float[values.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        out[c * rows + r] = values[r * columns + c];
      }
    }
    return out;
  }

  @Override
  public String description() {
    return hf.description();
  }

  @Override
  public void close() {
    hf.close();
  }
}
