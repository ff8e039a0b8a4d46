package dev.clipstream.jobs.tagging;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The image batch's input tensor, normalised from the 8-bit crops straight into one direct buffer
 * that the encoder keeps and reuses, batch after batch. DJL's {@code create(float[])} copies every
 * batch into a fresh direct buffer that only the garbage collector frees (at 224 px and batch 16,
 * 9.6 MB a batch), so the resident set swung and stepped with the collector; a buffer the engine
 * reads in place ({@code from_blob}) is allocated once, at the largest batch seen. The tensor made
 * from it must be closed before the next batch is written, which the batch's NDManager scope does.
 */
final class BatchInput {
  private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

  /** The batch as a {@code [n, 3, side, side]} float32 array in {@code scope}, over the buffer. */
  NDArray fill(List<PreparedImage> batch, int side, NDManager scope) {
    int n = batch.size();
    int perImage = 3 * side * side;
    int bytes = n * perImage * Float.BYTES;
    if (buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
    ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
    view.clear().limit(bytes);
    java.nio.FloatBuffer floats = view.asFloatBuffer();
    for (int i = 0; i < n; i++) {
      // The images arrive as 8-bit crops; CLIP's normalisation happens here, into the batch.
      ImagePreprocessor.normaliseInto(batch.get(i).rgb, floats, i * perImage);
    }
    return scope.create(
        view.slice().order(ByteOrder.nativeOrder()), new Shape(n, 3, side, side), DataType.FLOAT32);
  }

  /** Bytes held: the largest batch so far. */
  int capacity() {
    return buffer.capacity();
  }
}
