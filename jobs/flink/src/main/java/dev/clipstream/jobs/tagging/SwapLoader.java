package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.control.LabelSetDefinitions;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import dev.clipstream.model.zeroshot.LabelSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Builds the next {@link Serving} off the task thread: fetches, verifies and loads a model update's
 * weights, embeds the label set under that model. One loader thread per TaskManager process (it
 * ends when idle), so a large label set or a model download competes with serving for one core at
 * most; what two slots both need is built once ({@link SharedResources}).
 */
final class SwapLoader {

  /** A model update that could not be fetched, verified or loaded. */
  static final class ModelRefused extends Exception {
    private static final long serialVersionUID = 1L;

    ModelRefused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final ExecutorService LOADER =
      new ThreadPoolExecutor(
          0,
          1,
          30,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          task -> {
            Thread t = new Thread(task, "clipstream-swap-loader");
            t.setDaemon(true);
            return t;
          });

  private final String weights;
  private final ModelStore store;
  private final LabelSet configuredLabels;
  private final ServingModel.Placement placement;

  SwapLoader(
      String weights,
      ModelStore store,
      LabelSet configuredLabels,
      ServingModel.Placement placement) {
    this.weights = weights;
    this.store = store;
    this.configuredLabels = configuredLabels;
    this.placement = placement;
  }

  /** The configured model and label set, built on the calling thread. */
  Serving initial() throws Exception {
    return build(null, null, null);
  }

  /** Starts building the serving state the two messages describe (null: the configured one). */
  CompletableFuture<Serving> start(
      ControlMessage model, ControlMessage labels, ClipConfig expected) {
    CompletableFuture<Serving> next = new CompletableFuture<>();
    LOADER.execute(
        () -> {
          try {
            next.complete(build(model, labels, expected));
          } catch (Throwable e) {
            next.completeExceptionally(e);
          }
        });
    return next;
  }

  private Serving build(ControlMessage model, ControlMessage labels, ClipConfig expected)
      throws Exception {
    ServingModel.Lease lease;
    if (model == null) {
      lease = ServingModel.acquire(weights, placement);
    } else {
      try {
        lease = ServingModel.acquire(store, model.modelUpdate(), expected, placement);
      } catch (Exception e) {
        throw new ModelRefused(e.getMessage(), e);
      }
    }
    try {
      ServingModel serving = lease.serving();
      ClipTextEmbedder texts = new ClipTextEmbedder(serving.model(), serving.tokenizer());
      LabelSet set =
          labels == null ? configuredLabels : LabelSetDefinitions.toLabelSet(labels.labelSet());
      LabelMatrix.Lease matrix = LabelMatrix.acquire(lease.key(), serving, texts, set);
      return new Serving(lease, texts, set, matrix, model, labels);
    } catch (Exception | Error e) {
      lease.close();
      throw e;
    }
  }
}
