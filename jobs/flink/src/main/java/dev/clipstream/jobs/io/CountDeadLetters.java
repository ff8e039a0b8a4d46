package dev.clipstream.jobs.io;

import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/** Counts dead letters by failure stage (metrics {@code deadLetters<Stage>}) on their way out. */
public final class CountDeadLetters extends RichMapFunction<DeadLetter, DeadLetter> {
  private static final long serialVersionUID = 1L;

  private transient Map<FailureStage, Counter> byStage;

  @Override
  public void open(OpenContext context) {
    byStage = new EnumMap<>(FailureStage.class);
    for (FailureStage stage : FailureStage.values()) {
      byStage.put(stage, getRuntimeContext().getMetricGroup().counter(metricName(stage)));
    }
  }

  /** The metric name of a stage, e.g. {@code deadLettersDecodeImage}. */
  public static String metricName(FailureStage stage) {
    StringBuilder name = new StringBuilder("deadLetters");
    for (String part : stage.name().split("_")) {
      name.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return name.toString();
  }

  @Override
  public DeadLetter map(DeadLetter letter) {
    byStage.get(letter.getStage()).inc();
    return letter;
  }
}
