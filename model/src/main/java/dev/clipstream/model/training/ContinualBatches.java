package dev.clipstream.model.training;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * How the continual trainer turns a stream of captioned pairs into batches: every {@code
 * holdoutEvery}-th pair is held out (the most recent {@code holdoutSize} are kept, never trained
 * on); the others wait until {@code newPairs} are there; a batch is those plus {@code batchSize −
 * newPairs} pairs drawn from the replay reservoir, which then takes the new pairs in. The streaming
 * job and the benchmark's bare loop both use it, so they make the same batches.
 */
public final class ContinualBatches {

  private final int batchSize;
  private final int newPairs;
  private final int holdoutEvery;
  private final int holdoutSize;
  private final ReplayReservoir replay;
  private final List<CaptionedPair> pending;
  private final Deque<CaptionedPair> holdout;
  private long seen;

  /** Batches from a fresh start. */
  public ContinualBatches(
      int batchSize, int newPairs, int holdoutEvery, int holdoutSize, ReplayReservoir replay) {
    this(batchSize, newPairs, holdoutEvery, holdoutSize, replay, 0, List.of(), List.of());
  }

  /** Batches restored from {@link #seen()}, {@link #pending()} and {@link #holdout()}. */
  public ContinualBatches(
      int batchSize,
      int newPairs,
      int holdoutEvery,
      int holdoutSize,
      ReplayReservoir replay,
      long seen,
      List<CaptionedPair> pending,
      List<CaptionedPair> holdout) {
    this.batchSize = batchSize;
    this.newPairs = newPairs;
    this.holdoutEvery = holdoutEvery;
    this.holdoutSize = holdoutSize;
    this.replay = replay;
    this.seen = seen;
    this.pending = new ArrayList<>(pending);
    this.holdout = new ArrayDeque<>(holdout);
  }

  /** Takes the next pair; returns the batch it completes, or null while one is still filling. */
  public List<CaptionedPair> offer(CaptionedPair pair) {
    seen++;
    if (holdoutEvery > 0 && seen % holdoutEvery == 0) {
      holdout.addLast(pair);
      while (holdout.size() > holdoutSize) {
        holdout.removeFirst();
      }
      return null;
    }
    pending.add(pair);
    if (pending.size() < newPairs) {
      return null;
    }
    List<CaptionedPair> batch = new ArrayList<>(pending);
    batch.addAll(replay.sample(batchSize - pending.size()));
    pending.forEach(replay::offer);
    pending.clear();
    return batch;
  }

  /** Pairs offered so far, held out or not. */
  public long seen() {
    return seen;
  }

  /** Stream pairs waiting for the next batch. */
  public List<CaptionedPair> pending() {
    return List.copyOf(pending);
  }

  /** The held-out slice, oldest first. */
  public List<CaptionedPair> holdout() {
    return List.copyOf(holdout);
  }

  public ReplayReservoir replay() {
    return replay;
  }
}
