package dev.clipstream.jobs.cli;

import dev.clipstream.model.confidence.Calibration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Accuracy of the labelled predictions against the share labelled, as the threshold moves. */
final class CoverageChart {

  private CoverageChart() {}

  static void write(List<Calibration.Point> curve, Calibration.Result chosen, Path png)
      throws IOException {
    XYSeries series = new XYSeries("kept predictions");
    for (Calibration.Point p : curve) {
      series.add(p.coverage(), p.accuracy());
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "Zero-shot accuracy against coverage (unknown below a threshold)",
            "coverage (share of images labelled)",
            "accuracy of the labelled",
            new XYSeriesCollection(series),
            PlotOrientation.VERTICAL,
            false,
            false,
            false);
    ValueMarker marker = new ValueMarker(chosen.precision());
    marker.setLabel(String.format("target met at threshold %.3f", chosen.threshold()));
    chart.getXYPlot().addRangeMarker(marker);
    chart.getXYPlot().setBackgroundPaint(java.awt.Color.WHITE);
    chart.getXYPlot().setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
    chart.getXYPlot().setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
    double lowest = curve.stream().mapToDouble(Calibration.Point::accuracy).min().orElse(0);
    chart.getXYPlot().getRangeAxis().setRange(Math.max(0, lowest - 0.05), 1.005);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 560);
  }
}
