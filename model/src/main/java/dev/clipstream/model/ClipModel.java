package dev.clipstream.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.clipstream.model.checkpoint.Checkpoint;
import dev.clipstream.model.checkpoint.Checkpoints;
import dev.clipstream.model.engine.DjlRuntime;
import dev.clipstream.model.nn.GradMode;
import dev.clipstream.model.nn.Scalars;
import dev.clipstream.model.nn.Scopes;
import dev.clipstream.model.weights.DType;
import dev.clipstream.model.weights.TensorSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A CLIP (ViT or ModifiedResNet image tower) with its parameters in native memory: loads and saves
 * OpenAI-named weights, encodes images and texts, and exposes its parameters for training.
 *
 * <p>The model owns one {@link NDManager} holding every parameter; {@link #close()} frees them.
 * Each encode call frees its temporaries before it returns and attaches its result to the input's
 * manager, so a caller that scopes inputs per batch frees results with them. Encoding is safe from
 * several threads at once: parameters are only read, and each call switches PyTorch's per-thread
 * grad mode off for its span (see {@link GradMode}).
 */
public final class ClipModel implements AutoCloseable {

  /** The CLIP paper clips the learned temperature so logits are scaled by at most 100. */
  public static final float MAX_LOGIT_SCALE = 100f;

  private final ClipConfig config;
  private final NDManager manager;
  private final ClipNetwork network;
  private final Map<String, Parameter> parameters;
  private final java.util.Set<String> buffers;
  private final Precision precision;

  private ClipModel(
      ClipConfig config,
      Device device,
      boolean trainable,
      Precision precision,
      ParameterValues.Source values) {
    precision.requireUsable();
    if (trainable && precision != Precision.FLOAT32) {
      throw new IllegalArgumentException("training needs float32 parameters, not " + precision);
    }
    this.config = config;
    this.precision = precision;
    this.network = new ClipNetwork(config);
    this.parameters = network.namedParameters();
    this.buffers = network.bufferNames();
    this.manager = DjlRuntime.engine().newBaseManager(device);
    try {
      ParameterValues binding = new ParameterValues(manager, precision, buffers, trainable);
      network
          .parameterShapes()
          .forEach((name, shape) -> binding.bind(parameters.get(name), name, shape, values));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Loads a checkpoint: safetensors in OpenAI's names (F32, F16 or BF16), a Hugging Face or
   * open_clip folder, or, when {@code options} allow it, an OpenAI TorchScript archive; the layout
   * is read from the content (see {@link Checkpoints} for where the activation comes from).
   */
  public static ClipModel load(Path weights, LoadOptions options) throws IOException {
    try (Checkpoint checkpoint = Checkpoints.open(weights, options)) {
      return load(checkpoint, options);
    }
  }

  /** Loads an opened checkpoint with its own description (see {@link Checkpoints}). */
  public static ClipModel load(Checkpoint checkpoint, LoadOptions options) {
    return load(checkpoint.tensors(), checkpoint.description(), options);
  }

  /**
   * Loads from named tensors in OpenAI's names, checking every name and shape first; what shapes
   * cannot tell comes from {@code options} ({@link LoadOptions#description()}, {@link
   * LoadOptions#activation()}).
   */
  public static ClipModel load(TensorSource source, LoadOptions options) {
    return load(source, ModelDescription.fromOptions(source.description(), options), options);
  }

  private static ClipModel load(
      TensorSource source, ModelDescription description, LoadOptions options) {
    Map<String, long[]> shapes = source.shapes();
    ClipConfig config = ClipConfig.inferFrom(shapes, description);
    IncompatibleWeightsException.requireMatching(
        source.description(), config.expectedShapes(), shapes);
    Device device = options.device().orElseGet(() -> DjlRuntime.engine().defaultDevice());
    return new ClipModel(
        config,
        device,
        options.trainable(),
        options.precision(),
        (name, shape) -> source.floats(name));
  }

  /**
   * A trainable model with OpenAI's from-scratch initialisation, on the engine's default device.
   */
  public static ClipModel initialise(ClipConfig config, long seed) {
    return initialise(config, seed, DjlRuntime.engine().defaultDevice());
  }

  /** A trainable model with OpenAI's from-scratch initialisation, the same for the same seed. */
  public static ClipModel initialise(ClipConfig config, long seed, Device device) {
    return new ClipModel(
        config, device, true, Precision.FLOAT32, new ClipInitializer(config, seed)::values);
  }

  /** The configuration. */
  public ClipConfig config() {
    return config;
  }

  /** The precision parameters are held and computed in. */
  public Precision precision() {
    return precision;
  }

  /** The names of the buffers among {@link #parameters()}: state that training leaves alone. */
  public java.util.Set<String> bufferNames() {
    return buffers;
  }

  /** The device the parameters live on. */
  public Device device() {
    return manager.getDevice();
  }

  /** A fresh manager on the model's device for one batch's inputs and results; close it after. */
  public NDManager newBatchManager() {
    return DjlRuntime.engine().newBaseManager(device());
  }

  /** Image features {@code [B, embed]} of images {@code [B, 3, R, R]}, not normalised. */
  public NDArray encodeImage(NDArray pixels) {
    return encodeImage(pixels, false);
  }

  /** Text features {@code [B, embed]} of token ids {@code [B, tokens]}, not normalised. */
  public NDArray encodeText(NDArray ids) {
    return encodeText(ids, false);
  }

  /**
   * As {@link #encodeImage(NDArray)}; with {@code training} the thread's grad mode is left as it
   * is, so that inside a gradient collector the result carries an autograd graph.
   */
  public NDArray encodeImage(NDArray pixels, boolean training) {
    return run(pixels, training, () -> tower(network.visual(), pixels, DataType.FLOAT32, training));
  }

  /** As {@link #encodeText(NDArray)}, recording gradients when {@code training} (see there). */
  public NDArray encodeText(NDArray ids, boolean training) {
    return run(ids, training, () -> tower(network.text(), ids, DataType.INT64, training));
  }

  /**
   * OpenAI's {@code CLIP.forward}: {@code logits_per_image [B, T]} and {@code logits_per_text [T,
   * B]}, for a contrastive loss when {@code training}.
   */
  public NDList forward(NDArray pixels, NDArray ids, boolean training) {
    NDList out;
    try (GradMode mode = training ? GradMode.unchanged() : GradMode.disabled()) {
      out =
          Scopes.keep(
              () ->
                  network.forward(
                      new ParameterStore(manager, false),
                      new NDList(onDevice(pixels, DataType.FLOAT32), onDevice(ids, DataType.INT64)),
                      training));
    }
    if (precision != Precision.FLOAT32) {
      out =
          new NDList(
              out.get(0).toType(DataType.FLOAT32, false),
              out.get(1).toType(DataType.FLOAT32, false));
    }
    out.forEach(array -> array.attach(pixels.getManager()));
    return out;
  }

  /**
   * Logits {@code [B, T]} of already computed features: normalised, times {@link #logitScale()}.
   */
  public NDArray logitsPerImage(NDArray imageEmbeds, NDArray textEmbeds) {
    try (GradMode mode = GradMode.disabled()) {
      NDList out =
          Scopes.keep(
              () -> new NDList(ClipNetwork.logits(imageEmbeds, textEmbeds, logitScaleArray())));
      out.head().attach(imageEmbeds.getManager());
      return out.head();
    }
  }

  /** {@code exp(logit_scale)}, clipped at {@link #MAX_LOGIT_SCALE} as CLIP's training does. */
  public float logitScale() {
    try (GradMode mode = GradMode.disabled();
        NDArray scale =
            parameters.get("logit_scale").getArray().toType(DataType.FLOAT32, true).exp()) {
      return Math.min(scale.toFloatArray()[0], MAX_LOGIT_SCALE);
    }
  }

  /**
   * The DJL block tree, for training code that drives it directly. Its forward pass neither scopes
   * temporaries nor touches grad mode: wrap calls in {@link Scopes#keep} and, when not training,
   * {@link GradMode#disabled()}, as this class's own methods do.
   */
  public ClipNetwork network() {
    return network;
  }

  /** Every parameter by OpenAI name, in a stable order; read-only view. */
  public Map<String, Parameter> parameters() {
    return parameters;
  }

  /** Saves float32 weights and their manifest; see {@link #save(Path, DType, Map)}. */
  public WeightsInfo save(Path weights, Map<String, String> manifestFields) throws IOException {
    return save(weights, DType.F32, manifestFields);
  }

  /**
   * Writes every parameter in OpenAI's names to a safetensors file stored as {@code dtype} (F32,
   * F16 or BF16), then a manifest beside it ({@link WeightsManifest#pathFor}) with the
   * configuration, the file's SHA-256 and {@code manifestFields} (such as {@code step}, {@code
   * source}); both atomically.
   */
  public WeightsInfo save(Path weights, DType dtype, Map<String, String> manifestFields)
      throws IOException {
    return ModelSaver.save(this, weights, dtype, manifestFields);
  }

  /** The live parameters as named tensors (values are copied out when read). */
  public TensorSource asTensorSource() {
    return new ParameterTensors(parameters, "the parameters of " + this);
  }

  /** Frees every parameter (and any gradient attached to them). */
  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    return "ClipModel" + config + " on " + device() + " in " + precision;
  }

  private NDArray run(NDArray input, boolean training, Supplier<NDArray> pass) {
    NDList out;
    try (GradMode mode = training ? GradMode.unchanged() : GradMode.disabled()) {
      out = Scopes.keep(() -> new NDList(pass.get().toType(DataType.FLOAT32, false)));
    }
    out.head().attach(input.getManager());
    return out.head();
  }

  private NDArray tower(Block tower, NDArray input, DataType type, boolean training) {
    ParameterStore store = new ParameterStore(manager, false);
    return tower.forward(store, new NDList(onDevice(input, type)), training).head();
  }

  private NDArray onDevice(NDArray input, DataType type) {
    DataType target = type == DataType.FLOAT32 ? precision.dataType() : type;
    return input.toDevice(device(), false).toType(target, false);
  }

  private NDArray logitScaleArray() {
    NDArray scale = parameters.get("logit_scale").getArray().toType(DataType.FLOAT32, false).exp();
    return scale.minimum(Scalars.like(scale, MAX_LOGIT_SCALE));
  }
}
