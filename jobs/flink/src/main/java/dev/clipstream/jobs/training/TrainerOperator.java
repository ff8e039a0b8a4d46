package dev.clipstream.jobs.training;

import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.schemas.ModelUpdate;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFutures;
import org.apache.flink.streaming.api.operators.ProcessOperator;

/**
 * Runs {@link TrainOnStream} and tells it, before each snapshot, whether the snapshot is a
 * savepoint: a function's own snapshot context does not say, and a savepoint's files must be
 * written apart from the checkpoints' because nobody but the user knows how long it is kept.
 */
final class TrainerOperator extends ProcessOperator<PreparedImage, ModelUpdate> {
  private static final long serialVersionUID = 1L;

  TrainerOperator(TrainOnStream trainer) {
    super(trainer);
  }

  @Override
  public OperatorSnapshotFutures snapshotState(
      long checkpointId,
      long timestamp,
      CheckpointOptions checkpointOptions,
      CheckpointStreamFactory factory)
      throws Exception {
    ((TrainOnStream) userFunction)
        .nextSnapshotIsSavepoint(checkpointOptions.getCheckpointType().isSavepoint());
    return super.snapshotState(checkpointId, timestamp, checkpointOptions, factory);
  }
}
