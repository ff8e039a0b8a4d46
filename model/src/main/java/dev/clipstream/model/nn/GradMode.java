package dev.clipstream.model.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches PyTorch's autograd recording off on the current thread and back to what it was.
 *
 * <p>PyTorch keeps grad mode per thread and starts every thread with it on. DJL turns it off only
 * on the thread that first starts the engine, and its gradient collector turns it on for the thread
 * that opens it. A serving thread (a Flink operator, a pool worker) therefore records an autograd
 * graph for every op on trainable parameters unless it says otherwise: this guard does, for the
 * span of one call, without disturbing a gradient collector open on the same thread.
 */
public final class GradMode implements AutoCloseable {

  private final boolean previous;
  private final boolean changed;

  private GradMode(boolean enabled, boolean change) {
    this.previous = JniUtils.isGradMode();
    this.changed = change && previous != enabled;
    if (changed) {
      JniUtils.setGradMode(enabled);
    }
  }

  /** Turns recording off until {@link #close()}. */
  public static GradMode disabled() {
    return new GradMode(false, true);
  }

  /** Leaves recording as it is (for training passes, where a gradient collector decides). */
  public static GradMode unchanged() {
    return new GradMode(false, false);
  }

  /** Whether the current thread records autograd graphs now. */
  public static boolean isEnabled() {
    return JniUtils.isGradMode();
  }

  @Override
  public void close() {
    if (changed) {
      JniUtils.setGradMode(previous);
    }
  }
}
