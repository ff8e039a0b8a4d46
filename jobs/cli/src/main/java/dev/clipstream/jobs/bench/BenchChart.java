package dev.clipstream.jobs.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Two panels against batch size (log scale): throughput, and p99 latency at half load. */
final class BenchChart {
  private BenchChart() {}

  static final int PANEL = 420;
  static final int MARGIN = 60;

  /** One named line of (batch size, value) points. */
  record Series(String name, Color color, Map<Integer, Double> points) {}

  static void write(Path png, String title, List<Series> throughput, List<Series> latency)
      throws IOException {
    BufferedImage image =
        new BufferedImage(
            2 * (PANEL + MARGIN) + 40, PANEL + 2 * MARGIN + 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, 10, 20);
    panel(g, MARGIN, MARGIN, "images/s", throughput);
    panel(g, 2 * MARGIN + PANEL + 20, MARGIN, "p99 latency at 50% load, ms", latency);
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static void panel(Graphics2D g, int x0, int y0, String yLabel, List<Series> series) {
    double max = 0;
    int minBatch = Integer.MAX_VALUE;
    int maxBatch = 1;
    for (Series s : series) {
      for (Map.Entry<Integer, Double> p : s.points().entrySet()) {
        max = Math.max(max, p.getValue());
        minBatch = Math.min(minBatch, p.getKey());
        maxBatch = Math.max(maxBatch, p.getKey());
      }
    }
    if (max == 0) {
      return;
    }
    max *= 1.1;
    double lo = Math.log(minBatch);
    double hi = Math.max(lo + 1e-9, Math.log(maxBatch));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.setColor(Color.LIGHT_GRAY);
    for (int i = 0; i <= 4; i++) {
      int y = y0 + PANEL - i * PANEL / 4;
      g.drawLine(x0, y, x0 + PANEL, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format("%.0f", max * i / 4), x0 - 45, y + 4);
      g.setColor(Color.LIGHT_GRAY);
    }
    g.setColor(Color.BLACK);
    g.drawRect(x0, y0, PANEL, PANEL);
    g.drawString(yLabel, x0, y0 - 8);
    for (int b = minBatch; b <= maxBatch; b *= 2) {
      int x = x0 + (int) ((Math.log(b) - lo) / (hi - lo) * PANEL);
      g.drawString(Integer.toString(b), x - 4, y0 + PANEL + 15);
    }
    g.drawString("batch size", x0 + PANEL / 2 - 25, y0 + PANEL + 30);
    int legend = 0;
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(new BasicStroke(2f));
      int px = -1;
      int py = -1;
      for (Map.Entry<Integer, Double> p : new java.util.TreeMap<>(s.points()).entrySet()) {
        int x = x0 + (int) ((Math.log(p.getKey()) - lo) / (hi - lo) * PANEL);
        int y = y0 + PANEL - (int) (p.getValue() / max * PANEL);
        g.fillOval(x - 3, y - 3, 7, 7);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.drawString(s.name(), x0 + 10, y0 + 18 + 15 * legend++);
    }
    g.setStroke(new BasicStroke(1f));
  }
}
