package dev.clipstream.jobs.training;

/**
 * The trainer's scalar state in a Flink checkpoint: how far it is, its random generator, and which
 * files in the model store hold the weights and optimiser state of exactly that step.
 */
public class TrainerPosition {
  public long step;
  public long seen;
  public long offered;
  public long randomState;

  /** Store-relative name of the weights at {@link #step}, and their SHA-256 (null at step 0). */
  public String weights;

  public String weightsSha256;
  public String optimizer;
  public String optimizerSha256;

  /** The model the gate compares with: null for the configured start weights. */
  public String served;

  public String servedSha256;
  public String servedVersion;

  /** For Flink's POJO serializer. */
  public TrainerPosition() {}

  /** A field-by-field copy. */
  TrainerPosition copy() {
    TrainerPosition p = new TrainerPosition();
    p.step = step;
    p.seen = seen;
    p.offered = offered;
    p.randomState = randomState;
    p.weights = weights;
    p.weightsSha256 = weightsSha256;
    p.optimizer = optimizer;
    p.optimizerSha256 = optimizerSha256;
    p.served = served;
    p.servedSha256 = servedSha256;
    p.servedVersion = servedVersion;
    return p;
  }
}
