package dev.clipstream.model;

import dev.clipstream.model.nn.Activation;

/**
 * What a checkpoint's tensor shapes cannot tell: the MLP activation, the attention head counts and
 * the layer-norm epsilon, as a checkpoint's own description states them (a Hugging Face {@code
 * config.json}, an open_clip model config, clipstream's manifest or safetensors metadata, an OpenAI
 * TorchScript archive's code). A {@code null} field is not stated.
 *
 * <p>Head counts and epsilon left unstated follow OpenAI's {@code build_model} (one head per 64
 * channels; PyTorch's 1e-5), the one rule every OpenAI-named checkpoint was built with. The
 * activation has no such default: QuickGELU and GELU checkpoints have identical tensors.
 *
 * @param activation the MLP activation, or null
 * @param visionHeads the image tower's attention heads, or null for OpenAI's rule
 * @param textHeads the text tower's attention heads, or null for OpenAI's rule
 * @param layerNormEps the layer-norm epsilon, or null for 1e-5
 * @param source where the description comes from, for messages
 */
public record ModelDescription(
    Activation activation,
    Integer visionHeads,
    Integer textHeads,
    Double layerNormEps,
    String source) {

  /**
   * What {@code options} say about a checkpoint read from {@code source}: their description (none
   * if they give none), with their activation, if any, over it ("--activation").
   */
  static ModelDescription fromOptions(String source, LoadOptions options) {
    ModelDescription description = options.description().orElse(none(source));
    if (options.activation().isPresent()) {
      description = description.with(ofActivation(options.activation().get(), "--activation"));
    }
    return description;
  }

  /** Nothing stated: loading succeeds only if the activation is given some other way. */
  public static ModelDescription none(String source) {
    return new ModelDescription(null, null, null, null, source);
  }

  /** OpenAI's own models: QuickGELU (its code has no other), the rest by its rules. */
  public static ModelDescription openAi(String source) {
    return new ModelDescription(Activation.QUICK_GELU, null, null, null, source);
  }

  /** A description that says only the activation. */
  public static ModelDescription ofActivation(Activation activation, String source) {
    return new ModelDescription(activation, null, null, null, source);
  }

  /** The description of a configuration clipstream wrote itself (manifest or metadata). */
  public static ModelDescription of(ClipConfig config, String source) {
    return new ModelDescription(
        config.activation(),
        config.visionHeads(),
        config.transformerHeads(),
        config.layerNormEps(),
        source);
  }

  /** Whether nothing at all is stated. */
  public boolean isEmpty() {
    return activation == null && visionHeads == null && textHeads == null && layerNormEps == null;
  }

  /**
   * This description with {@code other}'s statements added where this one is silent; where both
   * state a field and disagree, refuses naming the field and both sources.
   */
  public ModelDescription with(ModelDescription other) {
    return new ModelDescription(
        pick("activation", activation, other.activation, other),
        pick("vision heads", visionHeads, other.visionHeads, other),
        pick("text heads", textHeads, other.textHeads, other),
        pick("layer_norm_eps", layerNormEps, other.layerNormEps, other),
        isEmpty() ? other.source : other.isEmpty() ? source : source + " and " + other.source);
  }

  private <T> T pick(String field, T mine, T theirs, ModelDescription other) {
    if (mine != null && theirs != null && !mine.equals(theirs)) {
      throw new IncompatibleWeightsException(
          field + " is " + mine + " by " + source + " but " + theirs + " by " + other.source);
    }
    return mine != null ? mine : theirs;
  }
}
