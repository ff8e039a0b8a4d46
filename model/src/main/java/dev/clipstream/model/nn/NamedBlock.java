package dev.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL block that also names its parameters the way OpenAI's {@code state_dict} does.
 *
 * <p>DJL prefixes child names with their index ("01visual"), which matches no weights file, so each
 * block keeps its own ordered registry: a parameter's OpenAI name is the dotted path of the
 * children leading to it ({@code visual.transformer.resblocks.0.attn.in_proj_weight}). Shapes are
 * declared here too, because DJL's {@link Parameter} accepts a shape or an array but not both.
 */
public abstract class NamedBlock extends AbstractBlock {

  private final Map<String, Parameter> ownParameters = new LinkedHashMap<>();
  private final Map<String, Shape> ownShapes = new LinkedHashMap<>();
  private final Map<String, NamedBlock> namedChildren = new LinkedHashMap<>();
  private final java.util.Set<String> ownBuffers = new java.util.HashSet<>();

  /** Declares a parameter under its OpenAI local name (for example {@code in_proj_weight}). */
  protected final Parameter declareParameter(String name, Shape shape) {
    Parameter parameter =
        addParameter(Parameter.builder().setName(name).setType(Parameter.Type.OTHER).build());
    ownParameters.put(name, parameter);
    ownShapes.put(name, shape);
    return parameter;
  }

  /**
   * Declares a buffer: state the checkpoint carries that is never trained (BatchNorm's running
   * statistics). It is bound and saved like a parameter, but {@link #bufferNames()} marks it so
   * that training leaves it alone.
   */
  protected final Parameter declareBuffer(String name, Shape shape) {
    ownBuffers.add(name);
    return declareParameter(name, shape);
  }

  /**
   * Declares a child under its OpenAI attribute name; an empty name puts the child's parameters at
   * this block's own level, as OpenAI's text tower sits at the root of {@code CLIP}.
   */
  protected final <B extends NamedBlock> B declareChild(String name, B child) {
    addChildBlock(name.isEmpty() ? child.getClass().getSimpleName() : name, child);
    namedChildren.put(name, child);
    return child;
  }

  /** Every parameter below this block by OpenAI name, in declaration order. */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    visit("", (name, parameter, shape) -> out.put(name, parameter));
    return Collections.unmodifiableMap(out);
  }

  /** Every parameter's expected shape by OpenAI name, in declaration order. */
  public final Map<String, Shape> parameterShapes() {
    Map<String, Shape> out = new LinkedHashMap<>();
    visit("", (name, parameter, shape) -> out.put(name, shape));
    return Collections.unmodifiableMap(out);
  }

  /** The OpenAI names of every buffer below this block (a subset of {@link #namedParameters()}). */
  public final java.util.Set<String> bufferNames() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    visitBuffers("", out);
    return Collections.unmodifiableSet(out);
  }

  private void visitBuffers(String prefix, java.util.Set<String> out) {
    ownBuffers.forEach(name -> out.add(join(prefix, name)));
    namedChildren.forEach((name, child) -> child.visitBuffers(join(prefix, name), out));
  }

  /** Whether every parameter below this block has its array (DJL asks before training passes). */
  @Override
  public boolean isInitialized() {
    return ownParameters.values().stream().allMatch(Parameter::isInitialized)
        && namedChildren.values().stream().allMatch(NamedBlock::isInitialized);
  }

  /**
   * Refuses DJL's own initialisation, whose defaults are not OpenAI's: arrays come from a weights
   * file or from {@code ClipModel.initialise}, which follows OpenAI's rules.
   */
  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName()
            + " gets its arrays from ClipModel.load or ClipModel.initialise, not DJL's initialize");
  }

  /** The array of a parameter on the device of {@code like}, through DJL's parameter store. */
  protected static NDArray value(
      ParameterStore store, Parameter parameter, NDArray like, boolean training) {
    return store.getValue(parameter, like.getDevice(), training);
  }

  private interface Visitor {
    void accept(String name, Parameter parameter, Shape shape);
  }

  private void visit(String prefix, Visitor visitor) {
    ownParameters.forEach(
        (name, parameter) -> visitor.accept(join(prefix, name), parameter, ownShapes.get(name)));
    namedChildren.forEach((name, child) -> child.visit(join(prefix, name), visitor));
  }

  private static String join(String prefix, String name) {
    if (prefix.isEmpty()) {
      return name;
    }
    return name.isEmpty() ? prefix : prefix + "." + name;
  }
}
