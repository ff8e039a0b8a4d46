package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.io.StageTimes;
import dev.clipstream.jobs.io.ThreadCpu;
import java.util.List;

/**
 * One forward pass of a batch, timed on the thread that ran it: its results, wall time, that
 * thread's CPU time (-1 where the JVM cannot tell), and the wall-clock microseconds it started and
 * ended (the events' stage times).
 */
record Forward<OUT>(
    List<OUT> results, long nanos, long cpuNanos, long startMicros, long endMicros) {

  /** Runs {@code function} on {@code inputs} on the calling thread. */
  static <IN, OUT> Forward<OUT> run(BatchFunction<IN, OUT> function, List<IN> inputs)
      throws Exception {
    long startMicros = StageTimes.nowMicros();
    long cpuStart = ThreadCpu.now();
    long start = System.nanoTime();
    List<OUT> results = function.apply(inputs);
    long nanos = System.nanoTime() - start;
    long cpuEnd = ThreadCpu.now();
    long endMicros = StageTimes.nowMicros();
    return new Forward<>(
        results, nanos, cpuStart < 0 ? -1 : cpuEnd - cpuStart, startMicros, endMicros);
  }
}
