package dev.clipstream.model.training;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded, uniform sample of every pair offered so far (reservoir sampling, Vitter's algorithm
 * R): mixed into each batch so that a burst of one concept does not wipe out the others. Its random
 * numbers come from a SplitMix64 generator whose whole state is one long, so the reservoir
 * checkpoints and restores exactly.
 */
public final class ReplayReservoir {

  private final int capacity;
  private final List<CaptionedPair> pairs;
  private long offered;
  private long random;

  public ReplayReservoir(int capacity, long seed) {
    this(capacity, new ArrayList<>(), 0, seed);
  }

  /** A reservoir restored from {@link #pairs()}, {@link #offered()} and {@link #randomState()}. */
  public ReplayReservoir(int capacity, List<CaptionedPair> pairs, long offered, long randomState) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a replay reservoir needs room for one pair");
    }
    this.capacity = capacity;
    this.pairs = new ArrayList<>(pairs);
    this.offered = offered;
    this.random = randomState;
  }

  /** Keeps {@code pair} with probability capacity / offered so far. */
  public void offer(CaptionedPair pair) {
    offered++;
    if (pairs.size() < capacity) {
      pairs.add(pair);
    } else {
      long slot = below(offered);
      if (slot < capacity) {
        pairs.set((int) slot, pair);
      }
    }
  }

  /** Up to {@code k} distinct pairs drawn at random. */
  public List<CaptionedPair> sample(int k) {
    int take = Math.min(k, pairs.size());
    int[] order = new int[pairs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    List<CaptionedPair> out = new ArrayList<>(take);
    for (int i = 0; i < take; i++) {
      int j = i + (int) below(order.length - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      out.add(pairs.get(order[i]));
    }
    return out;
  }

  public List<CaptionedPair> pairs() {
    return List.copyOf(pairs);
  }

  public long offered() {
    return offered;
  }

  public long randomState() {
    return random;
  }

  public int size() {
    return pairs.size();
  }

  /** A uniform number in [0, bound). */
  private long below(long bound) {
    return Long.remainderUnsigned(next(), bound);
  }

  private long next() {
    random += 0x9E3779B97F4A7C15L;
    long z = random;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
