package dev.clipstream.model.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Named float tensors from somewhere (a file, an archive, a live model), read one at a time. */
public interface TensorSource extends AutoCloseable {

  /** Every tensor's shape, in the source's order. */
  Map<String, long[]> shapes();

  /** One tensor's values widened to float, row-major. */
  float[] floats(String name);

  /** Where the tensors come from, for error messages. */
  String description();

  /** Frees whatever the source holds (native memory, mappings); a no-op by default. */
  @Override
  default void close() {}

  /**
   * Writes every tensor, in order, as one safetensors file stored as {@code dtype} (F32, F16 or
   * BF16), atomically, and returns its SHA-256.
   */
  default String writeSafeTensors(Path file, DType dtype, Map<String, String> metadata)
      throws IOException {
    SafeTensorsWriter writer = new SafeTensorsWriter();
    metadata.forEach(writer::metadata);
    shapes().forEach((name, shape) -> writer.add(name, dtype, shape, floats(name)));
    return writer.write(file);
  }
}
