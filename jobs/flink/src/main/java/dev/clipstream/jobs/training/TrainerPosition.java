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
}
