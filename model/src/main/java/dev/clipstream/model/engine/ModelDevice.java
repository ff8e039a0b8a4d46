package dev.clipstream.model.engine;

import ai.djl.Device;
import java.io.Serializable;
import java.util.Optional;

/**
 * The {@code model.device} setting: {@code auto} (a GPU when there is one, else the CPU), {@code
 * cpu}, {@code gpu} (every GPU, slots spread over them) or {@code gpu:N} (that GPU only).
 *
 * <p>Spreading: a TaskManager's slot {@code s} of a machine with {@code n} GPUs uses GPU {@code s
 * mod n}, so each GPU holds one model copy shared by its slots (the serving model is shared per
 * weights and device) and slots are spread evenly.
 *
 * @param kind what the setting names
 * @param index the GPU of {@code gpu:N}, else -1
 */
public record ModelDevice(Kind kind, int index) implements Serializable {

  /** What the setting names. */
  public enum Kind {
    AUTO,
    CPU,
    GPU
  }

  /** Parses a setting value; a bad one is refused naming the accepted forms. */
  public static ModelDevice parse(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    switch (v) {
      case "auto":
        return new ModelDevice(Kind.AUTO, -1);
      case "cpu":
        return new ModelDevice(Kind.CPU, -1);
      case "gpu":
        return new ModelDevice(Kind.GPU, -1);
      default:
        break;
    }
    if (v.startsWith("gpu:")) {
      try {
        int index = Integer.parseInt(v.substring(4));
        if (index >= 0) {
          return new ModelDevice(Kind.GPU, index);
        }
      } catch (NumberFormatException e) {
        // falls through to the refusal
      }
    }
    throw new IllegalArgumentException(
        "model.device '" + value + "' is not auto, cpu, gpu or gpu:N (N = 0, 1, ...)");
  }

  /** The device for one slot on this machine, or empty to use the engine's default. */
  public Optional<Device> resolve(int slot) {
    return Optional.of(forSlot(slot, DjlRuntime.engine().getGpuCount()));
  }

  /**
   * The device of slot {@code slot} on a machine with {@code gpus} GPUs; refuses a GPU setting on a
   * machine without the GPU it names.
   */
  public Device forSlot(int slot, int gpus) {
    return switch (kind) {
      case CPU -> Device.cpu();
      case AUTO -> gpus == 0 ? Device.cpu() : Device.gpu(Math.floorMod(slot, gpus));
      case GPU -> {
        if (gpus == 0) {
          throw new IllegalStateException("model.device is " + this + " but no GPU is visible");
        }
        if (index >= gpus) {
          throw new IllegalStateException(
              "model.device is " + this + " but only " + gpus + " GPU(s) are visible");
        }
        yield Device.gpu(index >= 0 ? index : Math.floorMod(slot, gpus));
      }
    };
  }

  /** A device as the settings write it: {@code cpu} or {@code gpu:N}. */
  public static String name(Device device) {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
  }

  @Override
  public String toString() {
    return switch (kind) {
      case AUTO -> "auto";
      case CPU -> "cpu";
      case GPU -> index >= 0 ? "gpu:" + index : "gpu";
    };
  }
}
