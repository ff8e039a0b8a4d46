package dev.clipstream.jobs.ui;

import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.TagResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the page shows of the stream: the latest results, the latest dead letters, counts, and the
 * versions the latest result was made with. Written by the feed's consumer thread, read by the
 * page's requests.
 */
final class FeedState {
  /** Latest results kept for the gallery. */
  static final int GALLERY = 48;

  /** Latest dead letters kept. */
  static final int DEAD_LETTERS = 100;

  /** A result as the gallery shows it. */
  record Shown(
      String eventId,
      long eventTime,
      String modelVersion,
      List<Map<String, Object>> labels,
      String labelSet,
      long labelSetVersion,
      boolean unknown,
      String duplicateOf) {}

  /** A dead letter with its reason. */
  record Dead(
      String eventId,
      String stage,
      String reason,
      String source,
      long failedTime,
      Integer originalBytes) {}

  private final Deque<Shown> results = new ArrayDeque<>();
  private final Deque<Dead> dead = new ArrayDeque<>();
  private final Map<String, Long> perModelVersion = new LinkedHashMap<>();
  private long resultCount;
  private long deadCount;
  private Shown latest;

  synchronized void add(TagResult r) {
    List<Map<String, Object>> labels = new ArrayList<>();
    r.getLabels()
        .forEach(l -> labels.add(Map.of("name", l.getLabel().toString(), "score", l.getScore())));
    Shown shown =
        new Shown(
            r.getEventId().toString(),
            r.getEventTime().toEpochMilli(),
            r.getModelVersion().toString(),
            labels,
            r.getLabelSet().toString(),
            r.getLabelSetVersion(),
            r.getUnknown(),
            r.getDuplicateOf() == null ? null : r.getDuplicateOf().toString());
    push(results, shown, GALLERY);
    perModelVersion.merge(shown.modelVersion(), 1L, Long::sum);
    resultCount++;
    latest = shown;
  }

  synchronized void add(DeadLetter d) {
    push(
        dead,
        new Dead(
            d.getEventId() == null ? null : d.getEventId().toString(),
            d.getStage().toString(),
            d.getReason().toString(),
            d.getSourceTopic() + "/" + d.getSourcePartition() + "@" + d.getSourceOffset(),
            d.getFailedTime().toEpochMilli(),
            d.getOriginalPayloadBytes()),
        DEAD_LETTERS);
    deadCount++;
  }

  /** The latest results, newest first. */
  synchronized List<Shown> latest(int n) {
    return results.stream().limit(n).toList();
  }

  /** The latest dead letters, newest first. */
  synchronized List<Dead> deadLetters() {
    return List.copyOf(dead);
  }

  synchronized long resultCount() {
    return resultCount;
  }

  synchronized long deadLetterCount() {
    return deadCount;
  }

  /** Results read per model version, in the order the versions first came. */
  synchronized Map<String, Long> perModelVersion() {
    return new LinkedHashMap<>(perModelVersion);
  }

  /** The newest result, or null before the first. */
  synchronized Shown newest() {
    return latest;
  }

  private static <T> void push(Deque<T> deque, T item, int capacity) {
    deque.addFirst(item);
    while (deque.size() > capacity) {
      deque.removeLast();
    }
  }
}
