package dev.clipstream.jobs.tagging;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.control.LabelSetDefinitions;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.jobs.io.StageTimes;
import dev.clipstream.model.fewshot.AdaptedLabels;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ScoredLabel;
import dev.clipstream.model.zeroshot.ZeroShotClassifier;
import dev.clipstream.schemas.ModelUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forward pass per batch: the images through the image encoder, the captions (when events have
 * them) through the text encoder, both L2-normalised; then each image labelled zero-shot against
 * the label set's prompt-ensemble matrix, on the same model.
 *
 * <p>A control message never stalls the batches: the next model (fetched, verified, loaded) and the
 * next label matrix (embedded in chunks) are built by the {@link SwapLoader} off the task thread
 * while this one goes on serving, and swapped in at the start of the first batch after they are
 * ready; so every result of a batch is made by one model version and one label-set version, which
 * it reports. Only right after a (re)start, before the first batch, does a batch wait for them, so
 * a restored job serves what it served before. A model update is decided by its weights' SHA-256:
 * one whose content is already served or on its way is logged and counted ({@code
 * modelUpdatesUnchanged}), not reloaded. An update that cannot be fetched, verified or loaded is
 * counted ({@code modelUpdatesRejected}), logged, and the old model goes on serving. Every array of
 * a batch is freed before {@link #apply} returns.
 */
final class EncodeAndLabel implements BatchFunction<PreparedImage, EncodedImage> {
  private static final Logger LOG = LoggerFactory.getLogger(EncodeAndLabel.class);

  private final int topK;
  private final SwapLoader loader;
  private final TaughtLabels taught;
  private final BatchInput input = new BatchInput();
  private Serving serving;

  /** What the control messages so far ask for; null: the configured model or label set. */
  private ControlMessage wantedModel;

  private ControlMessage wantedLabels;
  private CompletableFuture<Serving> next;
  private boolean servedABatch;
  private final Counter modelUpdatesApplied;
  private final Counter modelUpdatesRejected;
  private final Counter modelUpdatesUnchanged;
  private final Counter labelSetUpdatesApplied;
  private final Counter labelSetUpdatesRejected;

  private EncodeAndLabel(TaggingSettings settings, MetricGroup metrics, int slot) throws Exception {
    this.topK = settings.topK();
    this.taught = new TaughtLabels(settings.examples().priorShots());
    ServingModel.Placement placement =
        ServingModel.Placement.of(settings.device(), settings.precision(), slot);
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
    LOG.info(
        "slot {} serves {} on {} (model.device {})",
        slot,
        serving.model().serving().version(),
        placement,
        settings.device());
  }

  /** A factory for {@link BatchEncode}: the model loads on the task manager, once per process. */
  static BatchFunction.Factory<PreparedImage, EncodedImage> factory(TaggingSettings settings) {
    return context ->
        new EncodeAndLabel(
            settings, context.getMetricGroup(), context.getTaskInfo().getIndexOfThisSubtask());
  }

  @Override
  public void control(ControlMessage message) {
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

  @Override
  public List<ControlMessage> controlState() {
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
  public List<EncodedImage> apply(List<PreparedImage> batch) throws Exception {
    swapIfReady();
    servedABatch = true;
    ServingModel model = serving.model().serving();
    LabelSet labelSet = serving.labelSet();
    int side = batch.get(0).size;
    int n = batch.size();
    List<String> captions = new ArrayList<>();
    for (PreparedImage in : batch) {
      if (in.caption != null) {
        captions.add(in.caption);
      }
    }
    try (NDManager scope = model.model().newBatchManager()) {
      NDArray features = model.model().encodeImage(input.fill(batch, side, scope));
      NDArray normalised = features.div(features.norm(new int[] {1}, true));
      float[] images = normalised.toFloatArray();
      AdaptedLabels examples = taught.weights(serving);
      List<List<ScoredLabel>> labels =
          examples == null
              ? ZeroShotClassifier.classify(
                  normalised,
                  serving.matrix().matrix().matrix(),
                  labelSet,
                  model.model().logitScale(),
                  topK)
              : TaughtLabels.classify(
                  examples, images, images.length / n, model.model().logitScale(), topK);
      float[] captionVectors =
          captions.isEmpty() ? new float[0] : serving.texts().embed(scope, captions).toFloatArray();
      int d = images.length / n;
      List<EncodedImage> out = new ArrayList<>(n);
      int caption = 0;
      for (int i = 0; i < n; i++) {
        PreparedImage in = batch.get(i);
        float[] captionEmbedding = null;
        if (in.caption != null) {
          captionEmbedding = Arrays.copyOfRange(captionVectors, caption * d, (caption + 1) * d);
          caption++;
        }
        List<ScoredLabel> top = labels.get(i);
        String[] names = new String[top.size()];
        float[] scores = new float[top.size()];
        for (int j = 0; j < names.length; j++) {
          names[j] = top.get(j).label();
          scores[j] = top.get(j).probability();
        }
        EncodedImage result =
            new EncodedImage(
                in.eventId,
                in.eventTime,
                model.version(),
                Arrays.copyOfRange(images, i * d, (i + 1) * d),
                captionEmbedding);
        result.producer = in.producer;
        result.caption = in.caption;
        result.thumbnail = in.thumbnail;
        result.times = in.times;
        result.labelSet = labelSet.name();
        result.labelSetVersion = labelSet.version();
        result.labels = names;
        result.scores = scores;
        out.add(result);
      }
      return out;
    }
  }

  @Override
  public void stamp(
      PreparedImage in, EncodedImage out, long enqueuedAt, long forwardStart, long forwardEnd) {
    StageTimes times = out.times;
    if (times == null) { // an input not from DecodeImage: its clock starts here
      times = StageTimes.readAt(enqueuedAt);
      times.decodedAt = enqueuedAt;
    }
    times.enqueuedAt = enqueuedAt;
    times.forwardStart = forwardStart;
    times.forwardEnd = forwardEnd;
    out.times = times;
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
