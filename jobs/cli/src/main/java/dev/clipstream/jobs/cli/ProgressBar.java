package dev.clipstream.jobs.cli;

import dev.clipstream.model.training.TrainingRun;
import dev.clipstream.model.training.TrainingStep;
import java.io.PrintWriter;
import java.time.Duration;

/** A one-line training progress bar on standard error: steps, loss, images/s, ETA. */
final class ProgressBar implements TrainingRun.Progress {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private long lastPrint;

  ProgressBar(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void onStep(TrainingStep step, int total, double imagesPerSecond, Duration remaining) {
    long now = System.nanoTime();
    if (now - lastPrint < 500_000_000L && step.step() < total) {
      return;
    }
    lastPrint = now;
    int filled = (int) (WIDTH * step.step() / total);
    err.printf(
        "\r[%s%s] step %d/%d  loss %.4f  scale %.1f  lr %.2e  %.0f img/s  ETA %d:%02d ",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        step.step(),
        total,
        step.loss(),
        step.logitScale(),
        step.learningRate(),
        imagesPerSecond,
        remaining.toMinutes(),
        remaining.toSecondsPart());
    err.flush();
  }
}
