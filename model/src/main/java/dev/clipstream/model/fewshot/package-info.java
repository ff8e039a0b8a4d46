/**
 * Labels taught by examples: class prototypes from labelled image embeddings, blended with the
 * zero-shot text weights (or standing alone for a label with no prompt), and a regularised linear
 * probe, as in the CLIP paper's few-shot comparisons.
 */
package dev.clipstream.model.fewshot;
