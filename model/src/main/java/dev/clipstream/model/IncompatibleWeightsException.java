package dev.clipstream.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Weights that do not fit the model they are loaded into, with every mismatch named at once. */
public class IncompatibleWeightsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Entries OpenAI's state_dicts carry that are settings, not parameters (build_model drops them).
   */
  static final Set<String> NON_PARAMETER_KEYS =
      Set.of("input_resolution", "context_length", "vocab_size");

  public IncompatibleWeightsException(String message) {
    super(message);
  }

  /**
   * Compares a file's tensors with the expected parameters and throws one exception naming every
   * missing, unexpected and mis-shaped tensor, or returns quietly when they all match.
   */
  static void requireMatching(
      String source, Map<String, long[]> expected, Map<String, long[]> actual) {
    List<String> missing = new ArrayList<>();
    List<String> misShaped = new ArrayList<>();
    expected.forEach(
        (name, shape) -> {
          long[] found = actual.get(name);
          if (found == null) {
            missing.add(name + " " + Arrays.toString(shape));
          } else if (!Arrays.equals(shape, found)) {
            misShaped.add(
                name + " expected " + Arrays.toString(shape) + " found " + Arrays.toString(found));
          }
        });
    List<String> extra = new ArrayList<>();
    actual.forEach(
        (name, shape) -> {
          if (!expected.containsKey(name)
              && !NON_PARAMETER_KEYS.contains(name)
              && !isBatchCounter(name, expected)) {
            extra.add(name + " " + Arrays.toString(shape));
          }
        });
    if (missing.isEmpty() && misShaped.isEmpty() && extra.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder(source).append(" does not fit the CLIP it describes:");
    appendAll(message, "missing", missing);
    appendAll(message, "unexpected", extra);
    appendAll(message, "wrong shape", misShaped);
    throw new IncompatibleWeightsException(message.toString());
  }

  /**
   * BatchNorm's {@code num_batches_tracked} only counts training steps (inference ignores it, and
   * PyTorch's {@code load_state_dict} fills it in when absent), so it is read past, not bound.
   */
  private static boolean isBatchCounter(String name, Map<String, long[]> expected) {
    String suffix = ".num_batches_tracked";
    return name.endsWith(suffix)
        && expected.containsKey(
            name.substring(0, name.length() - suffix.length()) + ".running_mean");
  }

  private static void appendAll(StringBuilder message, String what, List<String> names) {
    if (!names.isEmpty()) {
      message.append(message.charAt(message.length() - 1) == ':' ? " " : "; ");
      message.append(what).append(" (").append(names.size()).append("): ");
      message.append(String.join(", ", names));
    }
  }
}
