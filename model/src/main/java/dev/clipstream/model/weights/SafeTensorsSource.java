package dev.clipstream.model.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tensors of a safetensors file as a {@link TensorSource}. */
public final class SafeTensorsSource implements TensorSource {

  private final SafeTensorsFile file;
  private final String description;
  private final Map<String, long[]> shapes;

  /** Wraps an already validated file. */
  public SafeTensorsSource(SafeTensorsFile file, String description) {
    this.file = file;
    this.description = description;
    Map<String, long[]> byName = new LinkedHashMap<>();
    file.tensors().forEach((name, info) -> byName.put(name, info.shape()));
    this.shapes = Collections.unmodifiableMap(byName);
  }

  /** Maps and validates a file on disk. */
  public static SafeTensorsSource open(Path path) throws IOException {
    return new SafeTensorsSource(SafeTensorsFile.read(path), path.toString());
  }

  @Override
  public Map<String, long[]> shapes() {
    return shapes;
  }

  @Override
  public float[] floats(String name) {
    return file.floats(name);
  }

  @Override
  public String description() {
    return description;
  }
}
