package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import dev.clipstream.model.zeroshot.LabelSet;

/**
 * What one encoder serves between two swaps: a model, its text encoder, a label set and that set's
 * matrix under the model, and the control messages they came from (null: the configured ones).
 * Closing it gives back its holds on the shared model and matrix.
 */
record Serving(
    ServingModel.Lease model,
    ClipTextEmbedder texts,
    LabelSet labelSet,
    LabelMatrix.Lease matrix,
    ControlMessage modelMessage,
    ControlMessage labelSetMessage)
    implements AutoCloseable {

  /** The lower-case SHA-256 of the served weights when they came from an update, else null. */
  String weightsSha256() {
    return modelMessage == null
        ? null
        : modelMessage.modelUpdate().getWeightsSha256().toString().toLowerCase();
  }

  @Override
  public void close() throws Exception {
    try {
      matrix.close();
    } finally {
      model.close();
    }
  }
}
