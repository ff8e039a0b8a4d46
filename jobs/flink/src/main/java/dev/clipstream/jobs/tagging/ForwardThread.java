package dev.clipstream.jobs.tagging;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The thread a {@link BatchEncode} runs its forward passes on, one batch at a time, so the task
 * thread can collect the next batch meanwhile. It owns the batch function while a batch is on it;
 * {@link #close} waits for that batch before the function may be closed.
 */
final class ForwardThread<IN, OUT> implements AutoCloseable {

  private final BatchFunction<IN, OUT> function;
  private final ExecutorService executor;
  private final ForwardTime busy = new ForwardTime();

  ForwardThread(BatchFunction<IN, OUT> function, String name) {
    this.function = function;
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code batch} after the batches before it; {@code whenDone} is told, on this thread, once
   * the returned future is complete (with results or the batch's failure).
   */
  Future<Forward<OUT>> submit(List<IN> batch, Runnable whenDone) {
    CompletableFuture<Forward<OUT>> done =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Forward<OUT> forward = Forward.run(function, batch);
                busy.add(System.nanoTime() - forward.nanos(), forward.nanos());
                return forward;
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            },
            executor);
    done.whenComplete((results, failure) -> whenDone.run());
    return done;
  }

  /** Time spent in forward passes, against the time since the first one started. */
  ForwardTime busy() {
    return busy;
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(10, TimeUnit.MINUTES)) {
      executor.shutdownNow();
    }
  }
}
