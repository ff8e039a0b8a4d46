package dev.clipstream.model.fewshot;

/** Where a label's classifier weights came from. */
public enum LabelSource {
  /** Its prompts alone (zero-shot). */
  TEXT,
  /** Its examples alone: a label taught without a prompt. */
  EXAMPLES,
  /** Its prompts and its examples, blended. */
  BOTH
}
