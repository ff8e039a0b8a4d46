package dev.clipstream.model.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs a computation in its own {@link NDScope} and keeps only its results.
 *
 * <p>Every array PyTorch creates on this thread inside the step (including ones whose first operand
 * is a parameter, which DJL would otherwise attach to the model's manager) is closed when the step
 * ends; the results are handed to the enclosing scope, if there is one. Closing a temporary only
 * drops Java's handle: an autograd graph keeps what backward needs.
 */
public final class Scopes {
  private Scopes() {}

  /** Runs {@code step}, frees its temporaries and returns its results. */
  public static NDList keep(Supplier<NDList> step) {
    NDList results;
    try (NDScope scope = new NDScope()) {
      results = step.get();
      NDScope.unregister(results);
    }
    results.forEach(NDScope::register);
    return results;
  }
}
