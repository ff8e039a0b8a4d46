package dev.clipstream.jobs.training;

/**
 * The model-store files one checkpoint of the trainer references: the weights and optimiser state
 * of its step and the model the gate compares with (null where the configured weights are meant).
 */
public class SnapshotFiles {
  public long checkpointId;
  public String weights;
  public String optimizer;
  public String served;

  /** Whether Flink reported the checkpoint complete (or it was restored from). */
  public boolean completed;

  /** For Flink's POJO serializer. */
  public SnapshotFiles() {}

  public SnapshotFiles(long checkpointId, String weights, String optimizer, String served) {
    this.checkpointId = checkpointId;
    this.weights = weights;
    this.optimizer = optimizer;
    this.served = served;
  }
}
