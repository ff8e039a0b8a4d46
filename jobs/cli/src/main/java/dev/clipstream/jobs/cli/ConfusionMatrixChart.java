package dev.clipstream.jobs.cli;

import dev.clipstream.model.zeroshot.EvaluationReport;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Draws an evaluation's confusion matrix as a PNG heat map, rows normalised to recall. */
final class ConfusionMatrixChart {
  private static final int CELL = 48;
  private static final int MARGIN = 150;

  private ConfusionMatrixChart() {}

  static void write(EvaluationReport report, String title, Path png) throws IOException {
    int n = report.labels().size();
    int size = MARGIN + n * CELL + 20;
    BufferedImage image = new BufferedImage(size, size + 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title + String.format("  (accuracy %.3f)", report.accuracy()), 10, 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    int[][] c = report.confusion();
    for (int i = 0; i < n; i++) {
      int rowTotal = 0;
      for (int v : c[i]) {
        rowTotal += v;
      }
      g.setColor(Color.BLACK);
      g.drawString(report.labels().get(i), 10, MARGIN + i * CELL + CELL / 2 + 4);
      drawVertical(g, report.labels().get(i), MARGIN + i * CELL + CELL / 2 + 4, MARGIN - 8);
      for (int j = 0; j < n; j++) {
        double share = rowTotal == 0 ? 0 : (double) c[i][j] / rowTotal;
        int shade = (int) (255 * (1 - share));
        g.setColor(new Color(shade, shade, 255));
        g.fillRect(MARGIN + j * CELL, MARGIN + i * CELL, CELL - 1, CELL - 1);
        g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
        g.drawString(
            Integer.toString(c[i][j]), MARGIN + j * CELL + 6, MARGIN + i * CELL + CELL / 2 + 4);
      }
    }
    g.setColor(Color.DARK_GRAY);
    g.drawString("rows: true label, columns: predicted", MARGIN, size + 15);
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static void drawVertical(Graphics2D g, String text, int x, int y) {
    Graphics2D r = (Graphics2D) g.create();
    r.rotate(-Math.PI / 2, x, y);
    r.drawString(text, x, y);
    r.dispose();
  }
}
