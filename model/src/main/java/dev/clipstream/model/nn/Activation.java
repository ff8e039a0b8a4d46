package dev.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The MLP activation of a CLIP's transformer blocks. OpenAI trained with QuickGELU; open_clip's
 * models trained elsewhere (LAION, DataComp) use exact GELU. The tensors look the same either way,
 * so the activation has to come from the checkpoint's description.
 */
public enum Activation {
  /** OpenAI's {@code x * sigmoid(1.702 x)}. */
  QUICK_GELU("quick_gelu"),
  /** {@code torch.nn.functional.gelu}: {@code x * Φ(x)} with the exact (erf) normal CDF. */
  GELU("gelu");

  private final String key;

  Activation(String key) {
    this.key = key;
  }

  /** The name configuration files use: {@code quick_gelu} or {@code gelu}. */
  @JsonValue
  public String key() {
    return key;
  }

  /** Applies the activation elementwise; the result lives in {@code x}'s manager. */
  public NDArray apply(NDArray x) {
    return this == QUICK_GELU ? QuickGelu.apply(x) : x.getNDArrayInternal().gelu();
  }

  /** Parses a configuration value, refusing anything but the two CLIP activations by name. */
  @JsonCreator
  public static Activation parse(String key) {
    for (Activation activation : values()) {
      if (activation.key.equals(key)) {
        return activation;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '"
            + key
            + "': clipstream implements "
            + Arrays.stream(values()).map(Activation::key).collect(Collectors.joining(" and ")));
  }

  @Override
  public String toString() {
    return key;
  }
}
