package dev.clipstream.model.zeroshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** Turns texts into L2-normalised embeddings [n, d] in the given manager (a CLIP text encoder). */
@FunctionalInterface
public interface TextEmbedder {
  NDArray embed(NDManager manager, List<String> texts);
}
