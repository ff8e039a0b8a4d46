package dev.clipstream.jobs.io;

import java.time.Instant;

/**
 * When an event passed each stage of the tagging job, in microseconds since the epoch (wall clock,
 * so that stages on two TaskManagers compare; 0: not reached). The tagging job's {@code
 * measure-stages} operator turns them into the per-stage histograms.
 */
public class StageTimes {
  /** The source handed the Kafka record to the job. */
  public long readAt;

  /** The image was decoded and preprocessed. */
  public long decodedAt;

  /** The encoder operator took the image into a batch. */
  public long enqueuedAt;

  /** The forward pass of the image's batch started, and ended. */
  public long forwardStart;

  public long forwardEnd;

  /** For Flink's POJO serializer. */
  public StageTimes() {}

  /** The times of an event read at {@code readAt} (µs). */
  public static StageTimes readAt(long readAt) {
    StageTimes times = new StageTimes();
    times.readAt = readAt;
    return times;
  }

  /** Now, in microseconds since the epoch (the JDK's wall clock has µs resolution on Linux). */
  public static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
