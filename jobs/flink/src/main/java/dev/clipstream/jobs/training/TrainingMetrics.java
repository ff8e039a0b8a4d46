package dev.clipstream.jobs.training;

import java.util.function.Supplier;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * What {@link TrainOnStream} reports: the counters {@code trainingSteps}, {@code pairsTrained},
 * {@code gatePassed} and {@code gateRefused}; the gauges {@code trainingStep}, {@code
 * trainingLoss}, {@code replaySize}, {@code holdoutSize} and {@code servedModelVersion}; and, for
 * benchmarks, accumulators in the job result from which steps per second follow (the first pair's
 * and the last step's {@code System.nanoTime()}, and the steps taken).
 */
public final class TrainingMetrics {

  /** Accumulators of the job result: nanoTime of the first pair and of the last step, steps. */
  public static final String FIRST_PAIR_AT = "trainingFirstPairNanos";

  public static final String LAST_STEP_AT = "trainingLastStepNanos";
  public static final String STEPS_TAKEN = "trainingStepsTaken";

  private final LongMinimum firstPairAt = new LongMinimum();
  private final LongMaximum lastStepAt = new LongMaximum();
  private final LongCounter stepsTaken = new LongCounter();
  private final Counter steps;
  private final Counter pairsTrained;
  private final Counter gatePassed;
  private final Counter gateRefused;

  /** What the gauges read: the trainer's state, looked up whenever a reporter asks. */
  record Readings(
      Supplier<Long> step,
      Supplier<Double> loss,
      Supplier<Integer> replaySize,
      Supplier<Integer> holdoutSize,
      Supplier<String> servedVersion) {}

  /** Registers everything with the operator's context; call it in {@code open()}. */
  TrainingMetrics(RuntimeContext context, Readings readings) {
    context.addAccumulator(FIRST_PAIR_AT, firstPairAt);
    context.addAccumulator(LAST_STEP_AT, lastStepAt);
    context.addAccumulator(STEPS_TAKEN, stepsTaken);
    MetricGroup metrics = context.getMetricGroup();
    steps = metrics.counter("trainingSteps");
    pairsTrained = metrics.counter("pairsTrained");
    gatePassed = metrics.counter("gatePassed");
    gateRefused = metrics.counter("gateRefused");
    metrics.gauge("trainingStep", (Gauge<Long>) readings.step()::get);
    metrics.gauge("trainingLoss", (Gauge<Double>) readings.loss()::get);
    metrics.gauge("replaySize", (Gauge<Integer>) readings.replaySize()::get);
    metrics.gauge("holdoutSize", (Gauge<Integer>) readings.holdoutSize()::get);
    metrics.gauge("servedModelVersion", (Gauge<String>) readings.servedVersion()::get);
  }

  /** A captioned pair reached the trainer. */
  void pairArrived() {
    firstPairAt.add(System.nanoTime());
  }

  /** A step was taken on {@code newPairs} pairs from the stream. */
  void stepTaken(int newPairs) {
    pairsTrained.inc(newPairs);
    steps.inc();
    stepsTaken.add(1L);
    lastStepAt.add(System.nanoTime());
  }

  /** The gate let a candidate through. */
  void gatePassed() {
    gatePassed.inc();
  }

  /** The gate refused a candidate. */
  void gateRefused() {
    gateRefused.inc();
  }
}
