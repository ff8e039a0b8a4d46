package dev.clipstream.jobs.tagging;

import dev.clipstream.model.duplicates.NearDuplicateWindow;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Flags an image whose embedding nearly duplicates one of the last {@code window} images of its
 * scope (keyed by producer, or one global key): the earlier event's id and the similarity go into
 * the result. The window is keyed state, so it is in every checkpoint and survives restarts.
 */
public final class FlagNearDuplicates
    extends KeyedProcessFunction<String, EncodedImage, EncodedImage> {
  private static final long serialVersionUID = 1L;

  private final ResultOptions options;
  private transient ListState<Tuple2<String, float[]>> recent;
  private transient Counter flagged;

  public FlagNearDuplicates(ResultOptions options) {
    this.options = options;
  }

  /** The key of an image's scope. */
  public static String scopeOf(EncodedImage image, ResultOptions options) {
    return options.duplicatesPerSource() && image.producer != null ? image.producer : "";
  }

  @Override
  public void open(OpenContext context) {
    recent =
        getRuntimeContext()
            .getListState(
                new ListStateDescriptor<>(
                    "recent-embeddings",
                    TypeInformation.of(new TypeHint<Tuple2<String, float[]>>() {})));
    flagged = getRuntimeContext().getMetricGroup().counter("nearDuplicates");
  }

  @Override
  public void processElement(EncodedImage image, Context ctx, Collector<EncodedImage> out)
      throws Exception {
    NearDuplicateWindow window =
        new NearDuplicateWindow(
            options.duplicateWindow(),
            options.duplicateThreshold(),
            options.duplicateMaxDistanceRatio());
    String scope = ctx.getCurrentKey();
    for (Tuple2<String, float[]> e : recent.get()) {
      window.add(scope, e.f0, e.f1);
    }
    window
        .checkAndAdd(scope, image.eventId, image.imageEmbedding)
        .ifPresent(
            match -> {
              image.duplicateOf = match.eventId();
              image.duplicateSimilarity = match.similarity();
              flagged.inc();
            });
    List<Tuple2<String, float[]>> kept = new ArrayList<>();
    for (NearDuplicateWindow.Entry e : window.entries()) {
      kept.add(Tuple2.of(e.eventId(), e.embedding()));
    }
    recent.update(kept);
    out.collect(image);
  }
}
