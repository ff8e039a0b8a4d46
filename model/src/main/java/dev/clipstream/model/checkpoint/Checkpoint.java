package dev.clipstream.model.checkpoint;

import dev.clipstream.model.ModelDescription;
import dev.clipstream.model.weights.TensorSource;

/**
 * An opened checkpoint: its tensors in OpenAI's names, what its own files say about it, and its
 * layout. Closing it frees the tensors' source.
 *
 * @param tensors the tensors, renamed to OpenAI's names where the layout differs
 * @param description the checkpoint's own description, merged with the caller's statements
 * @param layout which layout it was read as
 */
public record Checkpoint(TensorSource tensors, ModelDescription description, Layout layout)
    implements AutoCloseable {

  /** The layouts clipstream reads. */
  public enum Layout {
    /** Safetensors in OpenAI's parameter names (OpenAI's own, or written by clipstream). */
    OPENAI_SAFETENSORS("openai"),
    /** OpenAI's TorchScript {@code .pt} archive. */
    OPENAI_TORCHSCRIPT("openai-pt"),
    /** A Hugging Face transformers {@code CLIPModel} folder. */
    HUGGING_FACE("hf"),
    /** open_clip: OpenAI's names plus open_clip's model config. */
    OPEN_CLIP("open-clip");

    private final String key;

    Layout(String key) {
      this.key = key;
    }

    /** The name {@code clipstream model convert --from} uses. */
    public String key() {
      return key;
    }
  }

  @Override
  public void close() {
    tensors.close();
  }
}
