package dev.clipstream.jobs.soak;

import java.util.List;
import java.util.Locale;

/** What a soak measured, judged. */
public record SoakResult(
    SoakRun.Plan plan,
    List<MemorySample> samples,
    double judgedFromSeconds,
    double producedForSeconds,
    long produced,
    long results,
    long deadLetters,
    long duplicates,
    boolean accountedFor,
    LeakVerdict verdict,
    MemoryTrend rss,
    MemoryTrend rssAnon,
    MemoryTrend judged,
    MemoryTrend heap,
    MemoryTrend files) {

  static SoakResult of(
      SoakRun.Plan plan,
      List<MemorySample> samples,
      double producedForSeconds,
      long produced,
      OutputLedger ledger) {
    double from = plan.warmup().toSeconds();
    for (MemorySample s : samples) {
      if (s.processed() >= plan.warmupEvents()) {
        from = Math.max(from, s.seconds());
        break;
      }
    }
    double to = producedForSeconds;
    return new SoakResult(
        plan,
        samples,
        from,
        producedForSeconds,
        produced,
        ledger.results(),
        ledger.deadLetters(),
        ledger.duplicates(),
        ledger.accountsFor(produced),
        LeakVerdict.judge(samples, from, to, plan.maxBytesPerEvent(), plan.maxGrowthBytes()),
        MemoryTrend.of(samples, from, to, MemorySample::rssBytes),
        MemoryTrend.of(samples, from, to, MemorySample::rssAnonBytes),
        MemoryTrend.of(samples, from, to, MemorySample::judgedBytes),
        MemoryTrend.of(samples, from, to, MemorySample::heapBytes),
        MemoryTrend.of(samples, from, to, MemorySample::openFiles));
  }

  /** Both verdicts: memory held and every input came back once. */
  public boolean passed() {
    return verdict.passed() && accountedFor;
  }

  /** Events processed per second while the producer ran, the warm-up included. */
  public double eventsPerSecond() {
    MemorySample last = lastWhileProducing();
    return last.processed() / last.seconds();
  }

  /** Events processed per second in the judged window. */
  public double judgedEventsPerSecond() {
    List<MemorySample> w = MemoryTrend.window(samples, judgedFromSeconds, producedForSeconds);
    MemorySample a = w.get(0);
    MemorySample b = w.get(w.size() - 1);
    return (b.processed() - a.processed()) / (b.seconds() - a.seconds());
  }

  private MemorySample lastWhileProducing() {
    List<MemorySample> w = MemoryTrend.window(samples, 0, producedForSeconds);
    return w.get(w.size() - 1);
  }

  private double codeFirst() {
    return MemoryTrend.window(samples, judgedFromSeconds, producedForSeconds)
        .get(0)
        .codeAndMetaspaceBytes();
  }

  private double codeLast() {
    List<MemorySample> w = MemoryTrend.window(samples, judgedFromSeconds, producedForSeconds);
    return w.get(w.size() - 1).codeAndMetaspaceBytes();
  }

  public String toText() {
    MiB m = new MiB();
    return String.format(
        Locale.ROOT,
        "soak: %.0f s of load (%s), then drained: %d events in, %d results + %d dead letters out"
            + " (%s)%n"
            + "  %.1f events/s over the run, %.1f events/s after the warm-up (%.0f s; %d events"
            + " judged)%n"
            + "  resident set after the warm-up: %.0f -> %.0f MiB (anonymous %.0f -> %.0f MiB),"
            + " trend %+.1f MiB/min%n"
            + "  judged (RssAnon less code cache and metaspace, %.0f -> %.0f MiB) against events:"
            + " %+.0f bytes/event (bound %d);"
            + " growth from the trend %+.1f MiB (bound %d MiB)%n"
            + "  code cache + metaspace: %.0f -> %.0f MiB; heap used: trend %+.1f MiB/min;"
            + " open files: %.0f -> %.0f%n"
            + "  %s%n",
        producedForSeconds,
        plan.eventsPerSecond() > 0
            ? String.format(Locale.ROOT, "%.0f events/s offered", plan.eventsPerSecond())
            : "as fast as the job takes them",
        produced,
        results,
        deadLetters,
        accountedFor
            ? "all accounted for, each once"
            : "NOT accounted for: "
                + duplicates
                + " duplicates, "
                + (produced - results - deadLetters)
                + " missing",
        eventsPerSecond(),
        judgedEventsPerSecond(),
        judgedFromSeconds,
        verdict.events(),
        m.of(rss.first()),
        m.of(rss.last()),
        m.of(rssAnon.first()),
        m.of(rssAnon.last()),
        m.of(rss.slopePerMinute()),
        m.of(judged.first()),
        m.of(judged.last()),
        verdict.bytesPerEvent(),
        verdict.maxBytesPerEvent(),
        m.of(verdict.growthBytes()),
        verdict.maxGrowthBytes() >> 20,
        m.of(codeFirst()),
        m.of(codeLast()),
        m.of(heap.slopePerMinute()),
        files.first(),
        files.last(),
        passed()
            ? "PASSED: memory held flat"
            : !verdict.passed()
                ? "FAILED: resident memory grew with the events"
                : "FAILED: not every input came back exactly once");
  }

  private static final class MiB {
    double of(double bytes) {
      return bytes / 1048576;
    }
  }
}
