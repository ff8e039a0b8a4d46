package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.control.LabelSetDefinitions;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.ModelUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-plane half of {@link EncodeAndLabel}: what the batches are served with ({@link
 * Serving}: a model, a label matrix, the taught examples), and the swaps the control messages ask
 * for.
 *
 * <p>A control message never stalls the batches: the next model (fetched, verified, loaded) and the
 * next label matrix (embedded in chunks) are built by the {@link SwapLoader} off the task thread
 * while the current ones go on serving, and swapped in at the start of the first batch after they
 * are ready ({@link #forNextBatch}); so every result of a batch is made by one model version and
 * one label-set version. Only right after a (re)start, before the first batch, does a batch wait
 * for them, so a restored job serves what it served before. A model update is decided by its
 * weights' SHA-256: one whose content is already served or on its way is logged and counted ({@code
 * modelUpdatesUnchanged}), not reloaded. An update that cannot be fetched, verified or loaded is
 * counted ({@code modelUpdatesRejected}), logged, and the old model goes on serving; a label set
 * whose matrix cannot be made likewise ({@code labelSetUpdatesRejected}).
 */
final class ServingControl implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingControl.class);

  private final SwapLoader loader;
  private final TaughtLabels taught;
  private Serving serving;

  /** What the control messages so far ask for; null: what is served. */
  private ControlMessage wantedModel;

  private ControlMessage wantedLabels;
  private CompletableFuture<Serving> next;
  private boolean servedABatch;
  private final Counter modelUpdatesApplied;
  private final Counter modelUpdatesRejected;
  private final Counter modelUpdatesUnchanged;
  private final Counter labelSetUpdatesApplied;
  private final Counter labelSetUpdatesRejected;

  /** Loads the configured model and label set (on the task manager) and registers the metrics. */
  ServingControl(TaggingSettings settings, ServingModel.Placement placement, MetricGroup metrics)
      throws Exception {
    this.taught = new TaughtLabels(settings.examples().priorShots());
    this.loader =
        new SwapLoader(
            settings.weights(),
            new ModelStore(settings.modelStore()),
            settings.labelSet(),
            placement);
    this.modelUpdatesApplied = metrics.counter("modelUpdatesApplied");
    this.modelUpdatesRejected = metrics.counter("modelUpdatesRejected");
    this.modelUpdatesUnchanged = metrics.counter("modelUpdatesUnchanged");
    this.labelSetUpdatesApplied = metrics.counter("labelSetUpdatesApplied");
    this.labelSetUpdatesRejected = metrics.counter("labelSetUpdatesRejected");
    metrics.gauge("modelVersion", (Gauge<String>) () -> serving.model().serving().version());
    metrics.gauge("labelSetVersion", (Gauge<Long>) () -> serving.labelSet().version());
    metrics.gauge("examplesVersion", (Gauge<Long>) taught::version);
    metrics.gauge("examplesApplied", (Gauge<Integer>) () -> taught.appliesTo(serving) ? 1 : 0);
    metrics.gauge("controlSwapPending", (Gauge<Integer>) () -> next == null ? 0 : 1);
    serving = loader.initial();
  }

  /** What the first batch will be served with, before any control message. */
  Serving serving() {
    return serving;
  }

  /** The examples taught by {@code PROTOTYPES} messages. */
  TaughtLabels taught() {
    return taught;
  }

  /**
   * What the next batch is served with: the swap that is ready, if any (before the first batch,
   * after a restore: waits for it), else what served the last one.
   */
  Serving forNextBatch() throws Exception {
    swapIfReady();
    servedABatch = true;
    return serving;
  }

  /** Takes a control message in: the swap it asks for starts off the task thread. */
  void control(ControlMessage message) {
    switch (message.kind) {
      case LABEL_SET -> {
        LabelSet current = wantedLabelSet();
        LabelSet offered = LabelSetDefinitions.toLabelSet(message.labelSet());
        if (!offered.name().equals(current.name())) {
          LOG.debug("label set {} is not this job's ({}); ignored", offered.name(), current.name());
        } else if (offered.version() <= current.version()) {
          LOG.debug(
              "label set {} v{} is not newer than v{}",
              offered.name(),
              offered.version(),
              current.version());
        } else {
          wantedLabels = message;
          restartSwap();
        }
      }
      case MODEL_UPDATE -> {
        ModelUpdate update = message.modelUpdate();
        String sha = update.getWeightsSha256().toString().toLowerCase();
        if (sha.equals(wantedWeightsSha256())) {
          modelUpdatesUnchanged.inc();
          LOG.info(
              "model update {} names weights (SHA-256 {}) already served or being loaded;"
                  + " nothing to load",
              update.getModelVersion(),
              sha);
        } else {
          wantedModel = message;
          restartSwap();
        }
      }
      case PROTOTYPES -> taught.offer(message);
    }
  }

  private LabelSet wantedLabelSet() {
    return wantedLabels == null
        ? serving.labelSet()
        : LabelSetDefinitions.toLabelSet(wantedLabels.labelSet());
  }

  private String wantedWeightsSha256() {
    return wantedModel == null
        ? serving.weightsSha256()
        : wantedModel.modelUpdate().getWeightsSha256().toString().toLowerCase();
  }

  /** Starts building what is wanted now; a build in flight for an older wish is thrown away. */
  private void restartSwap() {
    if (next != null) {
      next.whenComplete((stale, error) -> closeQuietly(stale));
    }
    ControlMessage model = wantedModel != null ? wantedModel : serving.modelMessage();
    ControlMessage labels = wantedLabels != null ? wantedLabels : serving.labelSetMessage();
    next = loader.start(model, labels, serving.model().serving().model().config());
  }

  /** What is served or wanted now, for the checkpoint: replayed on restore. */
  List<ControlMessage> controlState() {
    List<ControlMessage> state = new ArrayList<>(2);
    ControlMessage labels = wantedLabels != null ? wantedLabels : serving.labelSetMessage();
    ControlMessage model = wantedModel != null ? wantedModel : serving.modelMessage();
    if (labels != null) {
      state.add(labels);
    }
    if (model != null) {
      state.add(model);
    }
    if (taught.message() != null) {
      state.add(taught.message());
    }
    return state;
  }

  /** Swaps in the next serving state if it is ready (before the first batch: waits for it). */
  private void swapIfReady() throws Exception {
    if (next == null || (servedABatch && !next.isDone())) {
      return;
    }
    CompletableFuture<Serving> done = next;
    next = null;
    try {
      Serving ready = done.get();
      Serving previous = serving;
      serving = ready;
      if (ready.modelMessage() != previous.modelMessage()) {
        modelUpdatesApplied.inc();
        ModelUpdate update = ready.modelMessage().modelUpdate();
        LOG.info(
            "serving model {} (training step {}) from {}",
            update.getModelVersion(),
            update.getTrainingStep(),
            update.getCheckpointUri());
      }
      if (ready.labelSetMessage() != previous.labelSetMessage()) {
        labelSetUpdatesApplied.inc();
        LOG.info(
            "labelling with {} v{}: {} labels",
            ready.labelSet().name(),
            ready.labelSet().version(),
            ready.labelSet().labels().size());
      }
      wantedModel = null;
      wantedLabels = null;
      previous.close();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof SwapLoader.ModelRefused refused)) {
        // The label matrix could not be made: refuse the label set rather than fail the job,
        // which would restore the same wish and fail again.
        labelSetUpdatesRejected.inc();
        LOG.warn(
            "label set {} refused, still labelling with v{}: {}",
            wantedLabels == null ? "?" : wantedLabels.labelSet().getVersion(),
            serving.labelSet().version(),
            String.valueOf(e.getCause()));
        wantedLabels = null;
        if (wantedModel != null) {
          restartSwap();
        }
        return;
      }
      modelUpdatesRejected.inc();
      LOG.warn(
          "model update {} refused, still serving {}: {}",
          wantedModel == null ? "?" : wantedModel.modelUpdate().getModelVersion(),
          serving.model().serving().version(),
          refused.getMessage());
      wantedModel = null;
      if (wantedLabels != null) {
        restartSwap(); // the label set still applies, under the model that goes on serving
      }
    }
  }

  private static void closeQuietly(Serving stale) {
    if (stale != null) {
      try {
        stale.close();
      } catch (Exception e) {
        LOG.warn("could not release a superseded model or label matrix: {}", e.getMessage());
      }
    }
  }

  @Override
  public void close() throws Exception {
    if (next != null) {
      next.whenComplete((stale, error) -> closeQuietly(stale));
      next = null;
    }
    if (serving != null) {
      serving.close();
      serving = null;
    }
  }
}
