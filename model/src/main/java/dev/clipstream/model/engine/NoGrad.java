package dev.clipstream.model.engine;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's autograd recording off for the current thread until closed, then restores it.
 * Grad mode is per thread in libtorch and on by default, so any thread that runs the model outside
 * training (a Flink task thread, a parameter update) must say so, or it builds graphs it never
 * frees until the arrays do.
 */
public final class NoGrad implements AutoCloseable {

  private final boolean previous;

  private NoGrad() {
    DjlRuntime.engine();
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
  }

  /** Starts a no-grad region; use in try-with-resources. */
  public static NoGrad begin() {
    return new NoGrad();
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
