package dev.clipstream.jobs.runtime;

import dev.clipstream.schemas.TagResult;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The demo's continual view ({@link DemoMonitor}): which model serves, and how it does on the
 * watched labels (those the default model was trained without) against the others, over the last
 * {@link DemoMonitor#WINDOW} results of each; when a newly published model first serves, and how
 * long from the first watched event until a published model reaches 0.50 on them.
 */
final class ContinualView {
  final List<String> watched;
  String version = "-";
  String first;
  final Deque<Boolean> watchedWindow = new ArrayDeque<>();
  final Deque<Boolean> othersWindow = new ArrayDeque<>();
  final List<String> history = new java.util.ArrayList<>();
  final java.util.Set<String> seen = new java.util.HashSet<>();
  final long startMs = System.currentTimeMillis();
  long firstWatchedEventMs = -1;
  long learntMs = -1;
  double startWatched = Double.NaN;
  double startOthers = Double.NaN;

  ContinualView(List<String> watched) {
    this.watched = watched;
  }

  void add(TagResult tag, String truth, boolean right) {
    if (watched.isEmpty()) {
      return;
    }
    String v = tag.getModelVersion();
    if (seen.add(v)) {
      if (first == null) {
        first = v;
      } else {
        history.add(
            String.format(
                "  %5.1f s  %s first serves; until then %s %.2f, others %.2f (last %d)%n",
                (System.currentTimeMillis() - startMs) / 1000.0,
                v,
                String.join("/", watched),
                watchedAccuracy(),
                othersAccuracy(),
                DemoMonitor.WINDOW));
      }
    }
    version = v;
    boolean isWatched = watched.contains(truth);
    if (isWatched && firstWatchedEventMs < 0) {
      firstWatchedEventMs = tag.getEventTime().toEpochMilli();
    }
    Deque<Boolean> window = isWatched ? watchedWindow : othersWindow;
    window.addLast(right);
    if (window.size() > DemoMonitor.WINDOW) {
      window.removeFirst();
    }
    if (Double.isNaN(startWatched) && watchedWindow.size() >= DemoMonitor.WINDOW / 2) {
      startWatched = watchedAccuracy();
      startOthers = othersAccuracy();
    }
    if (learntMs < 0
        && !v.equals(first)
        && watchedWindow.size() >= DemoMonitor.WINDOW / 2
        && watchedAccuracy() >= 0.5) {
      learntMs = tag.getProcessingTime().toEpochMilli();
    }
  }

  double watchedAccuracy() {
    return share(watchedWindow);
  }

  double othersAccuracy() {
    return share(othersWindow);
  }

  static double share(Deque<Boolean> window) {
    return window.isEmpty()
        ? Double.NaN
        : window.stream().filter(b -> b).count() / (double) window.size();
  }

  String toText() {
    if (watched.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            "  continual training: started on %s with %s at %.2f, others %.2f (first %d of each)%n",
            first, String.join("/", watched), startWatched, startOthers, DemoMonitor.WINDOW / 2));
    history.forEach(text::append);
    text.append(
        String.format(
            "  at the end: %s serves, %s %.2f, others %.2f (last %d)%n",
            version,
            String.join("/", watched),
            watchedAccuracy(),
            othersAccuracy(),
            DemoMonitor.WINDOW));
    text.append(
        learntMs < 0
            ? "  the served model did not reach 0.50 on the new labels in this run\n"
            : String.format(
                "  %.1f s from the first %s event to 0.50 accuracy on them by a published model%n",
                (learntMs - firstWatchedEventMs) / 1000.0, String.join("/", watched)));
    return text.toString();
  }
}
