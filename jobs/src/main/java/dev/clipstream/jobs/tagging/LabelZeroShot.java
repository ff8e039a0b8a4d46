package dev.clipstream.jobs.tagging;

import ai.djl.ndarray.NDManager;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ZeroShotClassifier;
import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.TagResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Labels an encoded image zero-shot: its embedding against the label set's prompt-ensemble matrix
 * (computed once, when the operator opens), softmax at the model's logit scale, top k; and, for a
 * captioned event, the image-caption cosine similarity.
 */
public final class LabelZeroShot extends RichMapFunction<EncodedImage, TagResult> {
  private static final long serialVersionUID = 1L;

  /** Latencies kept by the end-to-end latency histogram. */
  private static final int LATENCY_WINDOW = 1024;

  private final String weights;
  private final LabelSet labelSet;
  private final int topK;
  private transient float[][] labelVectors;
  private transient float logitScale;
  private transient Counter eventsOut;
  private transient Histogram endToEndMillis;
  private transient String modelVersion;

  public LabelZeroShot(String weights, LabelSet labelSet, int topK) {
    this.weights = weights;
    this.labelSet = labelSet;
    this.topK = topK;
  }

  @Override
  public void open(OpenContext context) throws Exception {
    ServingModel serving = ServingModel.acquire(weights);
    logitScale = serving.model().logitScale();
    modelVersion = serving.version();
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    eventsOut = metrics.counter("eventsOut");
    endToEndMillis =
        metrics.histogram("endToEndLatencyMs", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
    metrics.gauge("labelSetVersion", (Gauge<Long>) labelSet::version);
    metrics.gauge("modelVersion", (Gauge<String>) () -> modelVersion);
    try (NDManager manager = serving.model().newBatchManager();
        ZeroShotClassifier classifier =
            new ZeroShotClassifier(
                new ClipTextEmbedder(serving.model(), serving.tokenizer()), manager)) {
      float[] matrix =
          classifier.labelMatrix(labelSet, serving.version()).toFloatArray(); // [d, labels]
      int labels = labelSet.labels().size();
      int d = matrix.length / labels;
      labelVectors = new float[labels][d];
      for (int j = 0; j < labels; j++) {
        for (int k = 0; k < d; k++) {
          labelVectors[j][k] = matrix[k * labels + j];
        }
      }
    }
  }

  @Override
  public TagResult map(EncodedImage in) {
    eventsOut.inc();
    endToEndMillis.update(System.currentTimeMillis() - in.eventTime);
    double[] logits = new double[labelVectors.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < logits.length; j++) {
      logits[j] = logitScale * dot(in.imageEmbedding, labelVectors[j]);
      max = Math.max(max, logits[j]);
    }
    double total = 0;
    for (int j = 0; j < logits.length; j++) {
      logits[j] = Math.exp(logits[j] - max);
      total += logits[j];
    }
    Integer[] order = new Integer[logits.length];
    for (int j = 0; j < order.length; j++) {
      order[j] = j;
    }
    double[] p = logits;
    java.util.Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
    List<LabelScore> top = new ArrayList<>();
    for (int i = 0; i < Math.min(topK, order.length); i++) {
      top.add(
          new LabelScore(labelSet.labels().get(order[i]).name(), (float) (p[order[i]] / total)));
    }
    List<Float> image = new ArrayList<>(in.imageEmbedding.length);
    for (float v : in.imageEmbedding) {
      image.add(v);
    }
    TagResult.Builder result =
        TagResult.newBuilder()
            .setEventId(in.eventId)
            .setEventTime(Instant.ofEpochMilli(in.eventTime))
            .setProcessingTime(Instant.now())
            .setModelVersion(in.modelVersion)
            .setImageEmbedding(image)
            .setLabels(top)
            .setLabelSet(labelSet.name())
            .setLabelSetVersion(labelSet.version());
    if (in.captionEmbedding != null) {
      List<Float> caption = new ArrayList<>(in.captionEmbedding.length);
      for (float v : in.captionEmbedding) {
        caption.add(v);
      }
      result
          .setCaptionEmbedding(caption)
          .setCaptionSimilarity((float) dot(in.imageEmbedding, in.captionEmbedding));
    }
    return result.build();
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Override
  public void close() throws Exception {
    if (labelVectors != null) {
      ServingModel.release(weights);
    }
  }
}
