package dev.clipstream.model.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.clipstream.model.engine.DjlRuntime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {

  @Test
  void minimisesAQuadratic() {
    try (NDManager m = DjlRuntime.engine().newBaseManager();
        AdamW adam = new AdamW(new AdamW.Settings(0.9, 0.98, 1e-8, 0, 100), m)) {
      NDArray w = m.create(new float[] {3, -2});
      w.setRequiresGradient(true);
      NDArray target = m.create(new float[] {1, 1});
      for (int i = 0; i < 300; i++) {
        try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
          gc.backward(w.sub(target).square().sum());
        }
        adam.step(Map.of("bias", w), 0.05);
      }
      float[] v = w.toFloatArray();
      assertEquals(1f, v[0], 0.05);
      assertEquals(1f, v[1], 0.05);
    }
  }

  @Test
  void decaysWeightMatricesButNotBiasesGainsEmbeddingsOrTheLogitScale() {
    assertTrue(AdamW.decays("visual.transformer.resblocks.0.attn.in_proj_weight", new Shape(6, 2)));
    assertTrue(AdamW.decays("visual.conv1.weight", new Shape(4, 3, 2, 2)));
    assertFalse(AdamW.decays("visual.transformer.resblocks.0.attn.in_proj_bias", new Shape(6)));
    assertFalse(AdamW.decays("visual.ln_pre.weight", new Shape(2)));
    assertFalse(AdamW.decays("token_embedding.weight", new Shape(10, 2)));
    assertFalse(AdamW.decays("positional_embedding", new Shape(10, 2)));
    assertFalse(AdamW.decays("logit_scale", new Shape()));
  }

  @Test
  void shrinksADecayedWeightWithZeroGradientByRateTimesDecay() {
    try (NDManager m = DjlRuntime.engine().newBaseManager();
        AdamW adam = new AdamW(new AdamW.Settings(0.9, 0.98, 1e-6, 0.2, 1), m)) {
      NDArray matrix = m.ones(new Shape(2, 2));
      NDArray bias = m.ones(new Shape(2));
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("mlp.c_fc.weight", matrix);
      params.put("mlp.c_fc.bias", bias);
      params.values().forEach(p -> p.setRequiresGradient(true));
      try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
        gc.backward(matrix.sum().mul(0).add(bias.sum().mul(0)));
      }
      adam.step(params, 0.1);

      assertEquals(1 - 0.1 * 0.2, matrix.toFloatArray()[0], 1e-6);
      assertEquals(1f, bias.toFloatArray()[0], 1e-6);
    }
  }

  @Test
  void clipsTheGlobalGradientNormAndReportsItUnclipped() {
    try (NDManager m = DjlRuntime.engine().newBaseManager();
        AdamW adam = new AdamW(new AdamW.Settings(0.9, 0.98, 1e-6, 0, 1), m)) {
      NDArray w = m.zeros(new Shape(2));
      w.setRequiresGradient(true);
      try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
        gc.backward(w.mul(m.create(new float[] {30, 40})).sum());
      }
      assertEquals(50.0, adam.step(Map.of("b", w), 0.01), 1e-4);
      assertEquals(0f, w.getGradient().sum().getFloat(), "gradients are zeroed after the step");
    }
  }

  @Test
  void keepsAFixedNumberOfNativeArraysAcrossSteps() {
    try (NDManager m = DjlRuntime.engine().newBaseManager();
        AdamW adam = new AdamW(AdamW.Settings.clipDefaults(), m)) {
      NDArray w = m.ones(new Shape(4, 4));
      w.setRequiresGradient(true);
      int afterFirst = -1;
      for (int i = 0; i < 20; i++) {
        try (ai.djl.ndarray.NDScope forward = new ai.djl.ndarray.NDScope();
            GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
          gc.backward(w.square().sum());
        }
        adam.step(Map.of("w", w), 0.01);
        if (i == 0) {
          afterFirst = m.getManagedArrays().size();
        }
      }
      assertEquals(afterFirst, m.getManagedArrays().size(), "no array outlives its step");
    }
  }
}
