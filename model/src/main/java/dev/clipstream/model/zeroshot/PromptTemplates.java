package dev.clipstream.model.zeroshot;

import java.util.List;

/**
 * Prompt templates for zero-shot classification. CLIP's paper found that a context sentence ("a
 * photo of a {label}.") beats the bare label and that averaging the embeddings of several templates
 * (an ensemble) adds a few points more (Radford et al. 2021, section 3.1.4).
 */
public final class PromptTemplates {

  /** The placeholder a template's label goes into. */
  public static final String PLACEHOLDER = "{}";

  /**
   * The default ensemble: general photo templates in the style of OpenAI's published ImageNet
   * prompts, plus product-photo wording that suits catalogue images.
   */
  public static final List<String> DEFAULT =
      List.of(
          "a photo of a {}.",
          "a photo of the {}.",
          "a close-up photo of a {}.",
          "a black and white photo of a {}.",
          "a low resolution photo of a {}.",
          "a product photo of a {}.",
          "a {}, product photo.",
          "an image of a {}.");

  private PromptTemplates() {}

  /** The template with the label put in, as CLIP's zero-shot code does. */
  public static String fill(String template, String label) {
    if (!template.contains(PLACEHOLDER)) {
      throw new IllegalArgumentException("template '" + template + "' has no " + PLACEHOLDER);
    }
    return template.replace(PLACEHOLDER, label);
  }
}
