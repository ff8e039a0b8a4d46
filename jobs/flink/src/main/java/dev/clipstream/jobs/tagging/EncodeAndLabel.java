package dev.clipstream.jobs.tagging;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.jobs.io.StageTimes;
import dev.clipstream.model.fewshot.AdaptedLabels;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ScoredLabel;
import dev.clipstream.model.zeroshot.ZeroShotClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forward pass per batch: the images through the image encoder, the captions (when events have
 * them) through the text encoder, both L2-normalised; then each image labelled zero-shot against
 * the label set's prompt-ensemble matrix, on the same model (or by the taught examples, where they
 * apply). What it serves with, and the swaps control messages ask for, are {@link
 * ServingControl}'s: every result of a batch is made by one model version and one label-set
 * version, which it reports. Every array of a batch is freed before {@link #apply} returns.
 */
final class EncodeAndLabel implements BatchFunction<PreparedImage, EncodedImage> {
  private static final Logger LOG = LoggerFactory.getLogger(EncodeAndLabel.class);

  private final int topK;
  private final ServingControl control;
  private final BatchInput input = new BatchInput();

  private EncodeAndLabel(TaggingSettings settings, MetricGroup metrics, int slot) throws Exception {
    this.topK = settings.topK();
    ServingModel.Placement placement =
        ServingModel.Placement.of(settings.device(), settings.precision(), slot);
    this.control = new ServingControl(settings, placement, metrics);
    LOG.info(
        "slot {} serves {} on {} (model.device {})",
        slot,
        control.serving().model().serving().version(),
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
    control.control(message);
  }

  @Override
  public List<ControlMessage> controlState() {
    return control.controlState();
  }

  @Override
  public List<EncodedImage> apply(List<PreparedImage> batch) throws Exception {
    Serving serving = control.forNextBatch();
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
      AdaptedLabels examples = control.taught().weights(serving);
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
    control.close();
  }
}
