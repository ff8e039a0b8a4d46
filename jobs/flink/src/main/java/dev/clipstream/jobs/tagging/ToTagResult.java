package dev.clipstream.jobs.tagging;

import dev.clipstream.model.confidence.UnknownRule;
import dev.clipstream.model.zeroshot.ScoredLabel;
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
 * Writes an encoded, labelled image as the {@link TagResult} that goes to Kafka: embeddings, top
 * labels, the image-caption cosine similarity of a captioned event, and the model and label-set
 * versions; counts it out and measures its end-to-end latency (now − event time).
 */
public final class ToTagResult extends RichMapFunction<EncodedImage, TagResult> {
  private static final long serialVersionUID = 1L;

  /** Latencies kept by the end-to-end latency histogram. */
  private static final int LATENCY_WINDOW = 1024;

  private final UnknownRule unknown;
  private transient Counter eventsOut;
  private transient Counter eventsUnknown;
  private transient Histogram endToEndMillis;

  /** Results that never say unknown. */
  public ToTagResult() {
    this(UnknownRule.NEVER);
  }

  /** Results that say unknown where {@code unknown} abstains. */
  public ToTagResult(UnknownRule unknown) {
    this.unknown = unknown;
  }

  @Override
  public void open(OpenContext context) {
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    eventsOut = metrics.counter("eventsOut");
    eventsUnknown = metrics.counter("eventsUnknown");
    metrics.gauge(
        "unknownRate",
        (Gauge<Double>)
            () ->
                eventsOut.getCount() == 0
                    ? 0.0
                    : eventsUnknown.getCount() / (double) eventsOut.getCount());
    endToEndMillis =
        metrics.histogram("endToEndLatencyMs", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
  }

  @Override
  public TagResult map(EncodedImage in) {
    List<LabelScore> top = new ArrayList<>(in.labels.length);
    List<ScoredLabel> ranked = new ArrayList<>(in.labels.length);
    for (int i = 0; i < in.labels.length; i++) {
      top.add(new LabelScore(in.labels[i], in.scores[i]));
      ranked.add(new ScoredLabel(i, in.labels[i], in.scores[i]));
    }
    boolean abstains = unknown.abstains(ranked);
    TagResult.Builder result =
        TagResult.newBuilder()
            .setEventId(in.eventId)
            .setEventTime(Instant.ofEpochMilli(in.eventTime))
            .setProcessingTime(Instant.now())
            .setModelVersion(in.modelVersion)
            .setImageEmbedding(boxed(in.imageEmbedding))
            .setLabels(top)
            .setLabelSet(in.labelSet)
            .setLabelSetVersion(in.labelSetVersion)
            .setUnknown(abstains);
    if (in.duplicateOf != null) {
      result.setDuplicateOf(in.duplicateOf).setDuplicateSimilarity(in.duplicateSimilarity);
    }
    if (abstains) {
      eventsUnknown.inc();
    }
    result.setCaption(in.caption);
    if (in.thumbnail != null) {
      result.setThumbnail(java.nio.ByteBuffer.wrap(in.thumbnail));
    }
    if (in.captionEmbedding != null) {
      result
          .setCaptionEmbedding(boxed(in.captionEmbedding))
          .setCaptionSimilarity(dot(in.imageEmbedding, in.captionEmbedding));
    }
    eventsOut.inc();
    endToEndMillis.update(System.currentTimeMillis() - in.eventTime);
    return result.build();
  }

  private static List<Float> boxed(float[] values) {
    List<Float> out = new ArrayList<>(values.length);
    for (float v : values) {
      out.add(v);
    }
    return out;
  }

  private static float dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return (float) s;
  }
}
