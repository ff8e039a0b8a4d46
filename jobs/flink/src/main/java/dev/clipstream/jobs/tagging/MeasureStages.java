package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.io.StageTimes;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Turns each result's {@link StageTimes} into the per-stage latency histograms, in microseconds,
 * one sample per event: {@code decodeTimeUs} (read → decoded), {@code queueWaitUs} (taken into a
 * batch → its forward starts), {@code forwardTimeUs} (the batch's forward) and {@code inJobTimeUs}
 * (read → here, just before the result is written). Between decoded and taken in lies the network
 * hop into the encoder, in none of the stages but in the total. The stages compare wall clocks, of
 * two machines where the tasks run on two; a negative difference (clock skew) counts as 0.
 */
final class MeasureStages extends RichMapFunction<EncodedImage, EncodedImage> {
  private static final long serialVersionUID = 1L;

  /** Samples each histogram keeps for its statistics (its count counts every event). */
  static final int WINDOW = 1024;

  private transient Histogram decode;
  private transient Histogram queueWait;
  private transient Histogram forward;
  private transient Histogram inJob;

  @Override
  public void open(OpenContext context) {
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    decode = metrics.histogram("decodeTimeUs", new DescriptiveStatisticsHistogram(WINDOW));
    queueWait = metrics.histogram("queueWaitUs", new DescriptiveStatisticsHistogram(WINDOW));
    forward = metrics.histogram("forwardTimeUs", new DescriptiveStatisticsHistogram(WINDOW));
    inJob = metrics.histogram("inJobTimeUs", new DescriptiveStatisticsHistogram(WINDOW));
  }

  @Override
  public EncodedImage map(EncodedImage image) {
    StageTimes t = image.times;
    if (t != null) {
      long now = StageTimes.nowMicros();
      decode.update(Math.max(0, t.decodedAt - t.readAt));
      queueWait.update(Math.max(0, t.forwardStart - t.enqueuedAt));
      forward.update(Math.max(0, t.forwardEnd - t.forwardStart));
      inJob.update(Math.max(0, now - t.readAt));
    }
    return image;
  }
}
