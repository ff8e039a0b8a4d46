package dev.clipstream.jobs.tagging;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.control.LabelSetDefinitions;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ScoredLabel;
import dev.clipstream.model.zeroshot.ZeroShotClassifier;
import dev.clipstream.schemas.ModelUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * <p>Encoding and labelling share one batch so that a model swap or a label-set change is atomic: a
 * control message only takes effect at the start of the next batch, and every result of a batch is
 * made by one model version and one label-set version, which it reports. A model update that cannot
 * be fetched, verified or loaded is counted ({@code modelUpdatesRejected}), logged, and the old
 * model goes on serving. Every array of a batch is freed before {@link #apply} returns.
 */
final class EncodeAndLabel implements BatchFunction<PreparedImage, EncodedImage> {
  private static final Logger LOG = LoggerFactory.getLogger(EncodeAndLabel.class);

  private final ModelStore store;
  private final int topK;
  private ServingModel.Lease lease;
  private NDManager labelScope;
  private ZeroShotClassifier classifier;

  /** The served model's text encoder: label prompts and captions. */
  private ClipTextEmbedder texts;

  private LabelSet labelSet;
  private ControlMessage labelSetMessage;
  private ControlMessage modelMessage;
  private ControlMessage pendingLabelSet;
  private ControlMessage pendingModel;
  private final Counter modelUpdatesApplied;
  private final Counter modelUpdatesRejected;
  private final Counter labelSetUpdatesApplied;

  private final ServingModel.Placement placement;

  private EncodeAndLabel(TaggingJob.Settings settings, MetricGroup metrics, int slot)
      throws Exception {
    this.placement = ServingModel.Placement.of(settings.device(), settings.precision(), slot);
    this.store = new ModelStore(settings.modelStore());
    this.topK = settings.topK();
    this.labelSet = settings.labelSet();
    this.modelUpdatesApplied = metrics.counter("modelUpdatesApplied");
    this.modelUpdatesRejected = metrics.counter("modelUpdatesRejected");
    this.labelSetUpdatesApplied = metrics.counter("labelSetUpdatesApplied");
    metrics.gauge("modelVersion", (Gauge<String>) () -> lease.serving().version());
    metrics.gauge("labelSetVersion", (Gauge<Long>) () -> labelSet.version());
    serve(ServingModel.acquire(settings.weights(), placement));
    LOG.info(
        "slot {} serves {} on {} (model.device {})",
        slot,
        lease.serving().version(),
        placement,
        settings.device());
  }

  /** A factory for {@link BatchEncode}: the model loads on the task manager, once per process. */
  static BatchFunction.Factory<PreparedImage, EncodedImage> factory(TaggingJob.Settings settings) {
    return context ->
        new EncodeAndLabel(
            settings, context.getMetricGroup(), context.getTaskInfo().getIndexOfThisSubtask());
  }

  @Override
  public void control(ControlMessage message) {
    switch (message.kind) {
      case LABEL_SET -> {
        LabelSet next = LabelSetDefinitions.toLabelSet(message.labelSet());
        if (!next.name().equals(labelSet.name())) {
          LOG.debug("label set {} is not this job's ({}); ignored", next.name(), labelSet.name());
        } else if (next.version() <= labelSet.version()) {
          LOG.debug(
              "label set {} v{} is not newer than v{}",
              next.name(),
              next.version(),
              labelSet.version());
        } else {
          pendingLabelSet = message;
        }
      }
      case MODEL_UPDATE -> pendingModel = message;
    }
  }

  @Override
  public List<ControlMessage> controlState() {
    List<ControlMessage> state = new ArrayList<>(2);
    ControlMessage labels = pendingLabelSet != null ? pendingLabelSet : labelSetMessage;
    ControlMessage model = pendingModel != null ? pendingModel : modelMessage;
    if (labels != null) {
      state.add(labels);
    }
    if (model != null) {
      state.add(model);
    }
    return state;
  }

  /** Applies what arrived since the last batch: first the model, then the label set. */
  private void applyPending() throws Exception {
    if (pendingModel != null) {
      ControlMessage message = pendingModel;
      pendingModel = null;
      ModelUpdate update = message.modelUpdate();
      if (!update.getModelVersion().toString().equals(lease.serving().version())) {
        try {
          serve(ServingModel.acquire(store, update, lease.serving().model().config(), placement));
          modelMessage = message;
          modelUpdatesApplied.inc();
          LOG.info(
              "serving model {} (training step {}) from {}",
              update.getModelVersion(),
              update.getTrainingStep(),
              update.getCheckpointUri());
        } catch (Exception e) {
          modelUpdatesRejected.inc();
          LOG.warn(
              "model update {} refused, still serving {}: {}",
              update.getModelVersion(),
              lease.serving().version(),
              e.getMessage());
        }
      }
    }
    if (pendingLabelSet != null) {
      labelSetMessage = pendingLabelSet;
      pendingLabelSet = null;
      labelSet = LabelSetDefinitions.toLabelSet(labelSetMessage.labelSet());
      labelSetUpdatesApplied.inc();
      LOG.info("labelling with {} v{}: {}", labelSet.name(), labelSet.version(), labelSet.names());
    }
  }

  /** Switches to {@code next}, giving the previous model back. */
  private void serve(ServingModel.Lease next) throws Exception {
    ServingModel.Lease previous = lease;
    NDManager previousScope = labelScope;
    ZeroShotClassifier previousClassifier = classifier;
    lease = next;
    labelScope = next.serving().model().newBatchManager();
    texts = new ClipTextEmbedder(next.serving().model(), next.serving().tokenizer());
    classifier = new ZeroShotClassifier(texts, labelScope);
    if (previous != null) {
      previousClassifier.close();
      previousScope.close();
      previous.close();
    }
  }

  @Override
  public List<EncodedImage> apply(List<PreparedImage> batch) throws Exception {
    applyPending();
    ServingModel serving = lease.serving();
    int side = batch.get(0).size;
    int n = batch.size();
    float[] pixels = new float[n * 3 * side * side];
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      System.arraycopy(batch.get(i).pixels, 0, pixels, i * 3 * side * side, 3 * side * side);
      if (batch.get(i).caption != null) {
        captions.add(batch.get(i).caption);
      }
    }
    try (NDManager scope = serving.model().newBatchManager()) {
      NDArray features =
          serving.model().encodeImage(scope.create(pixels, new Shape(n, 3, side, side)));
      NDArray normalised = features.div(features.norm(new int[] {1}, true));
      List<List<ScoredLabel>> labels =
          classifier.classify(
              normalised, labelSet, serving.version(), serving.model().logitScale(), topK);
      float[] images = normalised.toFloatArray();
      float[] captionVectors =
          captions.isEmpty() ? new float[0] : texts.embed(scope, captions).toFloatArray();
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
                serving.version(),
                Arrays.copyOfRange(images, i * d, (i + 1) * d),
                captionEmbedding,
                in.source);
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
  public void close() throws Exception {
    if (lease != null) {
      classifier.close();
      labelScope.close();
      lease.close();
      lease = null;
    }
  }
}
