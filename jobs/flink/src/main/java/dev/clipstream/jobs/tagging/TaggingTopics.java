package dev.clipstream.jobs.tagging;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The topics the job reads and writes: data topics, the two control topics and the examples topic
 * ({@code topics.examples}; empty: the job learns no labels from examples).
 */
public record TaggingTopics(
    String input,
    String results,
    String deadLetters,
    String labelSets,
    String modelUpdates,
    String examples)
    implements Serializable {

  /** The topics without an examples topic. */
  public TaggingTopics(
      String input, String results, String deadLetters, String labelSets, String modelUpdates) {
    this(input, results, deadLetters, labelSets, modelUpdates, "");
  }

  /** These topics with {@code topic} as the examples topic. */
  public TaggingTopics withExamples(String topic) {
    return new TaggingTopics(input, results, deadLetters, labelSets, modelUpdates, topic);
  }

  /** Whether the job learns labels from an examples topic. */
  public boolean teaches() {
    return !examples.isEmpty();
  }

  /** The default names of {@link TaggingOptions}. */
  public static TaggingTopics defaults() {
    return new TaggingTopics(
        TaggingOptions.INPUT_TOPIC.defaultValue(),
        TaggingOptions.RESULTS_TOPIC.defaultValue(),
        TaggingOptions.DEAD_LETTER_TOPIC.defaultValue(),
        TaggingOptions.LABEL_SETS_TOPIC.defaultValue(),
        TaggingOptions.MODEL_UPDATES_TOPIC.defaultValue());
  }

  /**
   * The topics as they should be created: the input with {@code inputPartitions} partitions, the
   * control topics compacted (the latest record per key is the current one), the rest deleted by
   * retention.
   */
  public List<NewTopic> definitions(int inputPartitions, short replication) {
    Map<String, String> compacted = Map.of("cleanup.policy", "compact");
    List<NewTopic> topics =
        new java.util.ArrayList<>(
            List.of(
                new NewTopic(input, inputPartitions, replication),
                new NewTopic(results, inputPartitions, replication),
                new NewTopic(deadLetters, 1, replication),
                new NewTopic(labelSets, 1, replication).configs(compacted),
                new NewTopic(modelUpdates, 1, replication).configs(compacted)));
    if (teaches()) {
      // Keyed by example id: compaction keeps each example, so a job started afresh relearns.
      topics.add(new NewTopic(examples, 1, replication).configs(compacted));
    }
    return List.copyOf(topics);
  }

  /** The control topics, label sets first. */
  public List<String> control() {
    return List.of(labelSets, modelUpdates);
  }

  /** What the control source reads: the control topics and, when set, the examples topic. */
  public List<String> controlAndExamples() {
    return teaches() ? List.of(labelSets, modelUpdates, examples) : control();
  }
}
