package dev.clipstream.jobs.cli;

import dev.clipstream.model.Precision;
import dev.clipstream.model.engine.ModelDevice;
import picocli.CommandLine.Option;

/** Where a command's model runs and in which precision ({@code --device}, {@code --precision}). */
final class DeviceOptions {

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto, cpu, gpu or gpu:N (default ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--precision",
      defaultValue = "float32",
      description =
          "float32 or float16 (bfloat16 is refused: DJL 0.35.1 cannot create such tensors)"
              + " (default ${DEFAULT-VALUE}).")
  String precision;

  /** The parsed device setting; a bad value is a one-line user error. */
  ModelDevice device() {
    return device(device);
  }

  /** The parsed precision; a bad value is a one-line user error. */
  Precision precision() {
    return precision(precision);
  }

  /** Parses a device setting; a bad value is a one-line user error. */
  static ModelDevice device(String device) {
    try {
      return ModelDevice.parse(device);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** Parses a precision; a bad value is a one-line user error. */
  static Precision precision(String precision) {
    try {
      return Precision.parse(precision);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
