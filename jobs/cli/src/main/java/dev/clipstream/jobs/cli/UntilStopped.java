package dev.clipstream.jobs.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits until the process is asked to stop (Ctrl-C, SIGTERM), then holds the JVM's exit until the
 * caller's clean-up has run ({@link #close()}): a shutdown hook interrupts the waiting thread,
 * whose {@code finally} blocks stop the jobs and delete the temporary folders.
 */
final class UntilStopped implements AutoCloseable {
  /** Longest the exit waits for the clean-up, so that a stuck one cannot keep the process alive. */
  static final long CLEAN_UP_SECONDS = 60;

  private final CountDownLatch cleanedUp = new CountDownLatch(1);
  private final Thread hook;

  UntilStopped() {
    Thread waiting = Thread.currentThread();
    hook =
        new Thread(
            () -> {
              waiting.interrupt();
              try {
                cleanedUp.await(CLEAN_UP_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "clipstream-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Returns once the process is asked to stop. */
  void await() {
    try {
      Thread.currentThread().join();
    } catch (InterruptedException stopping) {
      // The shutdown hook: go on to the clean-up.
    }
  }

  @Override
  public void close() {
    cleanedUp.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it returns now that the clean-up is done.
    }
  }
}
