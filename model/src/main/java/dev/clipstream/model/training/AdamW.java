package dev.clipstream.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.nn.GradMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019) over named parameters, with
 * global-norm gradient clipping. Weight decay applies to weight matrices only: never to gains,
 * biases, embeddings or the logit scale, as CLIP's training did. The moment estimates live in the
 * optimiser's own manager and are freed when it closes.
 */
public final class AdamW implements AutoCloseable {

  /** Hyper-parameters; the defaults are CLIP's (Radford et al. 2021, table of hyper-parameters). */
  public record Settings(
      double beta1, double beta2, double epsilon, double weightDecay, double maxGradNorm)
      implements java.io.Serializable {
    /** beta1 0.9, beta2 0.98, epsilon 1e-6, weight decay 0.2, clip at global norm 1. */
    public static Settings clipDefaults() {
      return new Settings(0.9, 0.98, 1e-6, 0.2, 1.0);
    }
  }

  private final Settings settings;
  private final NDManager state;
  private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
  private long steps;

  public AdamW(Settings settings, NDManager parent) {
    this.settings = settings;
    this.state = parent.newSubManager();
  }

  /** Whether weight decay applies to a parameter: matrices and kernels, but not embeddings. */
  public static boolean decays(String name, Shape shape) {
    return shape.dimension() >= 2 && !name.contains("embedding") && !name.equals("logit_scale");
  }

  /** Steps taken so far. */
  public long steps() {
    return steps;
  }

  /**
   * Applies one update from the gradients attached to {@code parameters}, then zeroes them.
   *
   * @return the global gradient norm before clipping
   */
  public double step(Map<String, NDArray> parameters, double learningRate) {
    steps++;
    // Every array made inside the scope is a temporary and is closed with it; the moments are
    // kept by unregistering them.
    try (GradMode noGrad = GradMode.disabled();
        NDScope scope = new NDScope()) {
      double norm = globalNorm(parameters.values());
      double clip = norm > settings.maxGradNorm() ? settings.maxGradNorm() / (norm + 1e-12) : 1.0;
      double correction1 = 1 - Math.pow(settings.beta1(), steps);
      double correction2 = 1 - Math.pow(settings.beta2(), steps);
      for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
        update(e.getKey(), e.getValue(), clip, learningRate, correction1, correction2);
      }
      return norm;
    }
  }

  private void update(String name, NDArray weight, double clip, double lr, double c1, double c2) {
    NDArray gradient = weight.getGradient();
    NDArray g = gradient.mul(clip);
    NDArray m = firstMoment.computeIfAbsent(name, k -> kept(state.zeros(weight.getShape())));
    NDArray v = secondMoment.computeIfAbsent(name, k -> kept(state.zeros(weight.getShape())));
    m.muli(settings.beta1()).addi(g.mul(1 - settings.beta1()));
    v.muli(settings.beta2()).addi(g.square().muli(1 - settings.beta2()));
    if (decays(name, weight.getShape())) {
      weight.muli(1 - lr * settings.weightDecay());
    }
    NDArray denominator = v.div(c2).sqrt().addi(settings.epsilon());
    weight.subi(m.div(c1).divi(denominator).muli(lr));
    gradient.muli(0);
  }

  private static NDArray kept(NDArray array) {
    NDScope.unregister(array);
    return array;
  }

  private static double globalNorm(Iterable<NDArray> parameters) {
    double sum = 0;
    for (NDArray p : parameters) {
      sum += p.getGradient().square().sum().getFloat();
    }
    return Math.sqrt(sum);
  }

  /** The optimiser state by name, for checkpoints: "m." and "v." prefixes. */
  public Map<String, NDArray> state() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    firstMoment.forEach((k, v) -> out.put("m." + k, v));
    secondMoment.forEach((k, v) -> out.put("v." + k, v));
    return out;
  }

  /** Restores state written by {@link #state()} and the step count. */
  public void restore(Map<String, float[]> values, Map<String, Shape> shapes, long stepCount) {
    values.forEach(
        (key, data) -> {
          NDArray array = state.create(data, shapes.get(key));
          if (key.startsWith("m.")) {
            firstMoment.put(key.substring(2), array);
          } else if (key.startsWith("v.")) {
            secondMoment.put(key.substring(2), array);
          }
        });
    steps = stepCount;
  }

  @Override
  public void close() {
    state.close();
  }
}
