package dev.clipstream.model.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import dev.clipstream.model.engine.DjlRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named parameters and buffers of a TorchScript archive (such as OpenAI's released {@code .pt}
 * files) as a {@link TensorSource}.
 *
 * <p>Loading an archive deserialises TorchScript code, so only call this on files from a source you
 * trust; callers gate it behind an explicit opt-in. The archive's methods are never run here.
 */
public final class TorchScriptSource implements TensorSource {

  private final PtNDManager manager;
  private final PtSymbolBlock module;
  private final Map<String, NDArray> parameters;
  private final Map<String, long[]> bufferShapes = new LinkedHashMap<>();
  private final Map<String, float[]> buffers;
  private final String description;

  private TorchScriptSource(
      PtNDManager manager, PtSymbolBlock module, Path archive, String description)
      throws IOException {
    this.manager = manager;
    this.module = module;
    this.description = description;
    Map<String, NDArray> byName = new LinkedHashMap<>();
    for (var entry : module.getDirectParameters()) {
      Parameter parameter = entry.getValue();
      byName.put(entry.getKey(), parameter.getArray());
    }
    this.parameters = Collections.unmodifiableMap(byName);
    // The module API lists parameters only: buffers (BatchNorm's running statistics) come from
    // the archive's pickle, which holds every tensor attribute.
    Map<String, long[]> shapes = new LinkedHashMap<>();
    this.buffers =
        TorchScriptPickle.tensors(archive, name -> !parameters.containsKey(name), shapes);
    bufferShapes.putAll(shapes);
  }

  /** Loads the archive onto the CPU; its tensors stay in native memory until {@link #close()}. */
  public static TorchScriptSource open(Path archive) throws IOException {
    if (WeightsFormat.detect(archive) != WeightsFormat.TORCHSCRIPT) {
      throw new SafeTensorsFormatException(archive + " is not a TorchScript archive");
    }
    PtNDManager manager = (PtNDManager) DjlRuntime.engine().newBaseManager(Device.cpu());
    try {
      PtSymbolBlock module =
          JniUtils.loadModule(manager, archive, true, new String[0], new String[0], false);
      return new TorchScriptSource(manager, module, archive, archive.toString());
    } catch (RuntimeException | IOException e) {
      manager.close();
      throw e;
    }
  }

  /** The loaded module, for callers that want to run its own methods as a cross-check. */
  public PtSymbolBlock module() {
    return module;
  }

  @Override
  public Map<String, long[]> shapes() {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    parameters.forEach((name, array) -> shapes.put(name, array.getShape().getShape()));
    shapes.putAll(bufferShapes);
    return shapes;
  }

  @Override
  public float[] floats(String name) {
    float[] buffer = buffers.get(name);
    if (buffer != null) {
      return buffer.clone();
    }
    NDArray array = parameters.get(name);
    if (array == null) {
      throw new IllegalArgumentException(description + " has no parameter named '" + name + "'");
    }
    // OpenAI's archives hold F16 parameters: widen through a temporary freed at once.
    NDArray wide = array.toType(DataType.FLOAT32, false);
    try {
      return wide.toFloatArray();
    } finally {
      if (wide != array) {
        wide.close();
      }
    }
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    manager.close();
  }
}
