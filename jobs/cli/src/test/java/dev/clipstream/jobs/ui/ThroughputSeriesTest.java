package dev.clipstream.jobs.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputSeriesTest {

  @Test
  void countsPerSecondWithNearestRankLatencyPercentilesAndZeroSecondsBetween() {
    ThroughputSeries series = new ThroughputSeries();
    for (int i = 1; i <= 20; i++) {
      // Written in second 100 with latencies 10, 20, ..., 200 ms.
      series.result(100_000 + i, 100_000 + i - 10L * i);
    }
    series.deadLetter(102_500);

    List<ThroughputSeries.Point> points = series.points();

    assertEquals(
        List.of(
            new ThroughputSeries.Point(100, 20, 0, 100, 190),
            new ThroughputSeries.Point(101, 0, 0, -1, -1),
            new ThroughputSeries.Point(102, 0, 1, -1, -1)),
        points);
  }

  @Test
  void keepsOnlyTheLastWindowOfSeconds() {
    ThroughputSeries series = new ThroughputSeries();
    series.result(0, 0);
    series.result(ThroughputSeries.SECONDS * 1000L, 0);

    List<ThroughputSeries.Point> points = series.points();

    assertEquals(1, points.size(), "the first second fell out of the window");
    assertEquals(ThroughputSeries.SECONDS, points.get(0).second());
  }
}
