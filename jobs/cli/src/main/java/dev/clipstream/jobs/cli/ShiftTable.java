package dev.clipstream.jobs.cli;

import dev.clipstream.model.shifts.ImageShift;
import dev.clipstream.model.shifts.RobustnessReport;
import dev.clipstream.model.zeroshot.EvaluationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The robustness table of {@code eval --shift}: accuracy clean, under each shift and on average
 * over the shifts, printed, as CSV, and as a bar chart, optionally beside an earlier run's CSV.
 */
final class ShiftTable {
  static final String CLEAN = "clean";
  static final String AVERAGE = "average over shifts";
  private static final String[] HEADER = {"shift", "images", "accuracy"};

  private final Map<String, Double> rows = new LinkedHashMap<>();
  private final int images;

  ShiftTable(RobustnessReport report) {
    this.images = report.clean().total();
    rows.put(CLEAN, report.clean().accuracy());
    for (Map.Entry<ImageShift, EvaluationReport> e : report.shifted().entrySet()) {
      rows.put(e.getKey().id(), e.getValue().accuracy());
    }
    rows.put(AVERAGE, report.averageShifted());
  }

  /** Accuracy per row of a CSV this class wrote. */
  static Map<String, Double> read(Path csv) throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    try (Reader in = Files.newBufferedReader(csv)) {
      for (CSVRecord r :
          CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
        try {
          out.put(r.get("shift"), Double.parseDouble(r.get("accuracy")));
        } catch (IllegalArgumentException e) {
          throw new UserError(
              csv + ": not a table written by --shift-csv (" + e.getMessage() + ")");
        }
      }
    }
    return out;
  }

  void print(PrintWriter out, String name, Map<String, Double> baseline, String baselineName) {
    out.printf("%nrobustness of %s on %d images (zero-shot accuracy)%n", name, images);
    if (baseline == null) {
      out.printf("%-20s %9s%n", "shift", "accuracy");
    } else {
      out.printf("%-20s %9s %9s %9s%n", "shift", "accuracy", baselineName, "change");
    }
    for (Map.Entry<String, Double> e : rows.entrySet()) {
      Double before = comparable(baseline, e.getKey());
      if (baseline == null) {
        out.printf("%-20s %9.4f%n", e.getKey(), e.getValue());
      } else if (before == null) {
        out.printf("%-20s %9.4f %9s %9s%n", e.getKey(), e.getValue(), "-", "-");
      } else {
        out.printf(
            "%-20s %9.4f %9.4f %+9.4f%n", e.getKey(), e.getValue(), before, e.getValue() - before);
      }
    }
  }

  /**
   * The baseline's value for {@code row}, or null where it has none or where it is an average over
   * other kinds than this table's (an average over two shifts says nothing next to one over ten).
   */
  private Double comparable(Map<String, Double> baseline, String row) {
    if (baseline == null) {
      return null;
    }
    if (row.equals(AVERAGE) && !baseline.keySet().equals(rows.keySet())) {
      return null;
    }
    return baseline.get(row);
  }

  void writeCsv(Path csv) throws IOException {
    try (Writer w = Files.newBufferedWriter(csv);
        CSVPrinter printer =
            new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
      for (Map.Entry<String, Double> e : rows.entrySet()) {
        printer.printRecord(e.getKey(), images, String.format("%.4f", e.getValue()));
      }
    }
  }

  void writeChart(Path png, String name, Map<String, Double> baseline, String baselineName)
      throws IOException {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Map.Entry<String, Double> e : rows.entrySet()) {
      Double before = comparable(baseline, e.getKey());
      if (before != null) {
        data.addValue(before, baselineName, e.getKey());
      }
      data.addValue(e.getValue(), name, e.getKey());
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Zero-shot accuracy under distribution shift (" + images + " test images)",
            null,
            "accuracy",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    chart.getCategoryPlot().setBackgroundPaint(java.awt.Color.WHITE);
    chart.getCategoryPlot().setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
    chart.getCategoryPlot().getRangeAxis().setRange(0, 1);
    chart
        .getCategoryPlot()
        .getDomainAxis()
        .setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 560);
  }
}
