package dev.clipstream.jobs.testing;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.tagging.BatchingOptions;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.zeroshot.LabelSet;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one place the reliability tests start the tagging job, so a change to its wiring (a control
 * source, say) is made here once.
 */
public final class TaggingRuns {
  private TaggingRuns() {}

  /** The default model at 28 px, batches of 16 or 50 ms, Fashion-MNIST's ten labels, top 3. */
  public static TaggingJob.Settings settings() {
    return new TaggingJob.Settings(
        "",
        28,
        new BatchingOptions(16, Duration.ofMillis(50)),
        LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES),
        3,
        "");
  }

  /** Runs the tagging job over what is on {@code topics.input()} now, and waits for it to end. */
  public static JobID runBounded(KafkaOptions kafka, TaggingJob.Topics topics, String groupId)
      throws Exception {
    StreamExecutionEnvironment env = Pipelines.environment(500);
    TaggingJob.onKafka(env, kafka, topics, groupId, true, settings());
    return env.execute(groupId).getJobID();
  }
}
