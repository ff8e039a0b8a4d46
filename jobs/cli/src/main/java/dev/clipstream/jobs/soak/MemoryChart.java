package dev.clipstream.jobs.soak;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToLongFunction;
import javax.imageio.ImageIO;

/** Resident memory and heap (MiB) against time, the warm-up shaded. */
final class MemoryChart {
  private MemoryChart() {}

  static final int WIDTH = 900;
  static final int HEIGHT = 420;
  static final int MARGIN = 60;

  static void write(Path png, String title, List<MemorySample> samples, double warmupSeconds)
      throws IOException {
    BufferedImage image =
        new BufferedImage(WIDTH + 2 * MARGIN, HEIGHT + 2 * MARGIN, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    double end = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).seconds());
    double max = 1;
    for (MemorySample s : samples) {
      max = Math.max(max, Math.max(s.rssBytes(), s.heapBytes()) / 1048576.0);
    }
    max *= 1.1;
    g.setColor(new Color(0xeeeeee));
    g.fillRect(MARGIN, MARGIN, (int) (warmupSeconds / end * WIDTH), HEIGHT);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, 10, 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawRect(MARGIN, MARGIN, WIDTH, HEIGHT);
    for (int i = 0; i <= 4; i++) {
      int y = MARGIN + HEIGHT - i * HEIGHT / 4;
      g.drawString(String.format("%.0f MiB", max * i / 4), 5, y + 4);
      g.drawString(
          String.format("%.0f s", end * i / 4), MARGIN + i * WIDTH / 4 - 10, MARGIN + HEIGHT + 15);
    }
    line(g, samples, end, max, MemorySample::rssBytes, new Color(0xd62728));
    line(g, samples, end, max, MemorySample::heapBytes, new Color(0x1f77b4));
    g.setColor(new Color(0xd62728));
    g.drawString("resident set (RSS)", MARGIN + 10, MARGIN + 15);
    g.setColor(new Color(0x1f77b4));
    g.drawString("heap used", MARGIN + 10, MARGIN + 30);
    g.setColor(Color.DARK_GRAY);
    g.drawString("shaded: warm-up, not judged", MARGIN + 10, MARGIN + 45);
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static void line(
      Graphics2D g,
      List<MemorySample> samples,
      double end,
      double max,
      ToLongFunction<MemorySample> value,
      Color color) {
    g.setColor(color);
    g.setStroke(new BasicStroke(1.5f));
    int px = -1;
    int py = -1;
    for (MemorySample s : samples) {
      int x = MARGIN + (int) (s.seconds() / end * WIDTH);
      int y = MARGIN + HEIGHT - (int) (value.applyAsLong(s) / 1048576.0 / max * HEIGHT);
      if (px >= 0) {
        g.drawLine(px, py, x, y);
      }
      px = x;
      py = y;
    }
    g.setStroke(new BasicStroke(1f));
  }
}
