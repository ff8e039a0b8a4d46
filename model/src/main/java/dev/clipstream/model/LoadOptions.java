package dev.clipstream.model;

import ai.djl.Device;
import dev.clipstream.model.nn.Activation;
import java.nio.file.Path;
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
  private final Activation activation;
  private final Path config;
  private final ModelDescription description;
  private final Precision precision;

  private LoadOptions(Builder builder) {
    this.allowTorchScript = builder.allowTorchScript;
    this.device = builder.device;
    this.trainable = builder.trainable;
    this.activation = builder.activation;
    this.config = builder.config;
    this.description = builder.description;
    this.precision = builder.precision;
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

  /** The MLP activation the caller states, if any (it must agree with the checkpoint's own). */
  public Optional<Activation> activation() {
    return Optional.ofNullable(activation);
  }

  /** A config JSON describing the checkpoint (Hugging Face, open_clip or OpenAI's arguments). */
  public Optional<Path> config() {
    return Optional.ofNullable(config);
  }

  /** A description the caller already holds (as the embedded default model does). */
  public Optional<ModelDescription> description() {
    return Optional.ofNullable(description);
  }

  /** The precision inference computes in; float32 unless asked. */
  public Precision precision() {
    return precision;
  }

  /** Builds {@link LoadOptions}; every setting is optional. */
  public static final class Builder {
    private boolean allowTorchScript;
    private Device device;
    private boolean trainable;
    private Activation activation;
    private Path config;
    private ModelDescription description;
    private Precision precision = Precision.FLOAT32;

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

    /**
     * States the MLP activation, for checkpoints that do not describe themselves (OpenAI-named
     * safetensors without a manifest); refused if the checkpoint's own description disagrees.
     */
    public Builder optActivation(Activation activation) {
      this.activation = activation;
      return this;
    }

    /** Reads the checkpoint's description from this config JSON. */
    public Builder optConfig(Path config) {
      this.config = config;
      return this;
    }

    /** Uses a description the caller already has. */
    public Builder optDescription(ModelDescription description) {
      this.description = description;
      return this;
    }

    /** Computes in this precision (see {@link Precision}). */
    public Builder optPrecision(Precision precision) {
      this.precision = precision;
      return this;
    }

    /** The options. */
    public LoadOptions build() {
      return new LoadOptions(this);
    }

    /** The options, with the device if one is given. */
    public LoadOptions build(Optional<Device> device) {
      device.ifPresent(this::optDevice);
      return build();
    }
  }
}
