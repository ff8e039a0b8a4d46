package dev.clipstream.model;

import ai.djl.Device;
import java.util.Optional;

/**
 * How {@link ClipModel#load} treats a weights file: whether TorchScript archives may be opened,
 * which device the parameters go to, and whether they will be trained.
 */
public final class LoadOptions {

  private static final LoadOptions DEFAULTS = builder().build();

  private final boolean allowTorchScript;
  private final Device device;
  private final boolean trainable;

  private LoadOptions(Builder builder) {
    this.allowTorchScript = builder.allowTorchScript;
    this.device = builder.device;
    this.trainable = builder.trainable;
  }

  /** Safetensors only, the engine's default device, parameters frozen for serving. */
  public static LoadOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether TorchScript archives, which carry code, may be opened. */
  public boolean allowTorchScript() {
    return allowTorchScript;
  }

  /** The device asked for, if any; otherwise the engine's default (a GPU when there is one). */
  public Optional<Device> device() {
    return Optional.ofNullable(device);
  }

  /** Whether parameters record gradients (for training or fine-tuning). */
  public boolean trainable() {
    return trainable;
  }

  /** Builds {@link LoadOptions}; every setting is optional. */
  public static final class Builder {
    private boolean allowTorchScript;
    private Device device;
    private boolean trainable;

    private Builder() {}

    /**
     * Allows opening TorchScript archives such as OpenAI's {@code ViT-B-32.pt}. Loading one
     * deserialises code, so allow it only for files from a source you trust.
     */
    public Builder optAllowTorchScript(boolean allow) {
      this.allowTorchScript = allow;
      return this;
    }

    /** Puts the parameters on this device instead of the engine's default. */
    public Builder optDevice(Device device) {
      this.device = device;
      return this;
    }

    /** Makes the parameters record gradients, for training; off (frozen) by default. */
    public Builder optTrainable(boolean trainable) {
      this.trainable = trainable;
      return this;
    }

    /** The options. */
    public LoadOptions build() {
      return new LoadOptions(this);
    }
  }
}
