package dev.clipstream.jobs.soak;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Memory (MiB) and events processed against time, one above the other; the warm-up and the drain
 * after the producer stopped, which the verdict does not judge, are shaded.
 */
final class MemoryChart {
  private MemoryChart() {}

  static void write(Path png, SoakResult result) throws IOException {
    XYSeriesCollection memory = new XYSeriesCollection();
    memory.addSeries(series("resident set (VmRSS)", result, MemorySample::rssBytes, 1 << 20));
    memory.addSeries(
        series("anonymous resident (RssAnon)", result, MemorySample::rssAnonBytes, 1 << 20));
    memory.addSeries(
        series(
            "RssAnon less code cache and metaspace (judged)",
            result,
            MemorySample::judgedBytes,
            1 << 20));
    memory.addSeries(series("heap used", result, MemorySample::heapBytes, 1 << 20));
    memory.addSeries(series("direct buffers", result, MemorySample::directBytes, 1 << 20));
    memory.addSeries(
        series("code cache + metaspace", result, MemorySample::codeAndMetaspaceBytes, 1 << 20));
    XYSeriesCollection events = new XYSeriesCollection();
    events.addSeries(series("events in", result, MemorySample::produced, 1));
    events.addSeries(series("results + dead letters out", result, MemorySample::processed, 1));

    XYPlot top =
        plot(memory, "MiB", new Color[] {red(), orange(), Color.BLACK, purple(), blue(), green()});
    XYPlot bottom = plot(events, "events", new Color[] {Color.GRAY, Color.BLACK});
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("seconds"));
    plot.add(top, 3);
    plot.add(bottom, 1);
    double warmup = result.judgedFromSeconds();
    double end = result.samples().get(result.samples().size() - 1).seconds();
    for (XYPlot p : new XYPlot[] {top, bottom}) {
      p.addDomainMarker(unjudged(0, warmup), Layer.BACKGROUND);
      p.addDomainMarker(unjudged(result.producedForSeconds(), end), Layer.BACKGROUND);
    }
    LeakVerdict v = result.verdict();
    String title =
        String.format(
            Locale.ROOT,
            "clipstream soak: %d events in %.0f s, judged memory %+.0f bytes/event (bound %d): %s",
            result.produced(),
            result.producedForSeconds(),
            v.bytesPerEvent(),
            v.maxBytesPerEvent(),
            result.passed() ? "passed" : "failed");
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 620);
  }

  private static XYSeries series(
      String name, SoakResult result, ToLongFunction<MemorySample> value, double unit) {
    XYSeries s = new XYSeries(name, false, true);
    for (MemorySample m : result.samples()) {
      long v = value.applyAsLong(m);
      if (v >= 0) {
        s.add(m.seconds(), v / unit);
      }
    }
    return s;
  }

  private static XYPlot plot(XYSeriesCollection data, String axis, Color[] colors) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < colors.length; i++) {
      renderer.setSeriesPaint(i, colors[i]);
      renderer.setSeriesStroke(i, new BasicStroke(1.5f));
    }
    NumberAxis y = new NumberAxis(axis);
    y.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, null, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    return plot;
  }

  private static IntervalMarker unjudged(double from, double to) {
    IntervalMarker m = new IntervalMarker(from, to);
    m.setPaint(new Color(0xeeeeee));
    return m;
  }

  private static Color red() {
    return new Color(0xd62728);
  }

  private static Color orange() {
    return new Color(0xff7f0e);
  }

  private static Color purple() {
    return new Color(0x9467bd);
  }

  private static Color blue() {
    return new Color(0x1f77b4);
  }

  private static Color green() {
    return new Color(0x2ca02c);
  }
}
