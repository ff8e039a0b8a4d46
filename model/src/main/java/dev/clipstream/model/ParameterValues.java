package dev.clipstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.clipstream.model.nn.OwnedArrays;
import java.util.Set;

/**
 * Gives a new model's parameters their values: copies each into the model's manager, narrows it to
 * the model's precision, and freezes what is not trained (every parameter of an inference model,
 * and BatchNorm's running statistics always).
 */
final class ParameterValues {

  /** Supplies each parameter's values by OpenAI name and shape. */
  interface Source {
    float[] of(String name, long[] shape);
  }

  private final NDManager manager;
  private final Precision precision;
  private final Set<String> buffers;
  private final boolean trainable;

  ParameterValues(NDManager manager, Precision precision, Set<String> buffers, boolean trainable) {
    this.manager = manager;
    this.precision = precision;
    this.buffers = buffers;
    this.trainable = trainable;
  }

  /** Sets {@code parameter} (OpenAI name {@code name}) to the values {@code source} gives. */
  void bind(Parameter parameter, String name, Shape shape, Source source) {
    NDArray array = OwnedArrays.copyOf(manager, source.of(name, shape.getShape()), shape);
    if (precision != Precision.FLOAT32) {
      // Narrowed one tensor at a time, so the model never holds a float32 copy of itself.
      NDArray narrow = array.toType(precision.dataType(), false);
      array.close();
      array = narrow;
    }
    parameter.setArray(array);
    // Buffers (BatchNorm's running statistics) are state, never trained.
    parameter.freeze(!trainable || buffers.contains(name));
  }
}
