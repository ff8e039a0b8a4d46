package dev.clipstream.model;

import ai.djl.nn.Parameter;
import dev.clipstream.model.weights.TensorSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** A model's live parameters as named tensors; values are copied out when read. */
final class ParameterTensors implements TensorSource {

  private final Map<String, Parameter> parameters;
  private final Map<String, long[]> shapes = new LinkedHashMap<>();
  private final String description;

  ParameterTensors(Map<String, Parameter> parameters, String description) {
    this.parameters = parameters;
    this.description = description;
    parameters.forEach((name, p) -> shapes.put(name, p.getArray().getShape().getShape()));
  }

  @Override
  public Map<String, long[]> shapes() {
    return shapes;
  }

  @Override
  public float[] floats(String name) {
    return parameters.get(name).getArray().toFloatArray();
  }

  @Override
  public String description() {
    return description;
  }
}
