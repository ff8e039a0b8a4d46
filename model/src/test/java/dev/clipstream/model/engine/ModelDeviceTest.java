package dev.clipstream.model.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code model.device}: parsing, and how a TaskManager's slots are spread over its GPUs. */
class ModelDeviceTest {

  private static List<Device> slots(String setting, int slots, int gpus) {
    List<Device> out = new ArrayList<>();
    for (int slot = 0; slot < slots; slot++) {
      out.add(ModelDevice.parse(setting).forSlot(slot, gpus));
    }
    return out;
  }

  @Test
  void spreadsSlotsRoundRobinOverTheGpusSoEachGpuHoldsOneShareOfThem() {
    assertEquals(
        List.of(
            Device.gpu(0),
            Device.gpu(1),
            Device.gpu(2),
            Device.gpu(0),
            Device.gpu(1),
            Device.gpu(2)),
        slots("gpu", 6, 3));
    assertEquals(slots("gpu", 6, 3), slots("auto", 6, 3));
  }

  @Test
  void autoFallsBackToTheCpuWithoutGpusAndCpuIgnoresThem() {
    assertEquals(List.of(Device.cpu(), Device.cpu()), slots("auto", 2, 0));
    assertEquals(List.of(Device.cpu(), Device.cpu()), slots("cpu", 2, 4));
  }

  @Test
  void aNamedGpuTakesEverySlot() {
    assertEquals(List.of(Device.gpu(1), Device.gpu(1), Device.gpu(1)), slots("gpu:1", 3, 2));
  }

  @Test
  void refusesAGpuThatIsNotThereAndBadValuesInOneLine() {
    IllegalStateException none =
        assertThrows(IllegalStateException.class, () -> slots("gpu", 1, 0));
    assertTrue(none.getMessage().contains("no GPU is visible"), none.getMessage());
    IllegalStateException missing =
        assertThrows(IllegalStateException.class, () -> slots("gpu:2", 1, 2));
    assertTrue(missing.getMessage().contains("only 2 GPU(s)"), missing.getMessage());
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> ModelDevice.parse("cuda"));
    assertEquals(
        "model.device 'cuda' is not auto, cpu, gpu or gpu:N (N = 0, 1, ...)", bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelDevice.parse("gpu:-1"));
  }
}
