package dev.clipstream.jobs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.zeroshot.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlMessageTest {

  static ControlMessage labelSetVersion(long version) {
    return ControlMessage.of(
        LabelSetDefinitions.of(LabelSet.of("test", version, List.of("cat", "dog"))));
  }

  @Test
  void aUnionRestoreKeepsTheHighestOrderOfEachKindWhateverTheSubtasksOrder() {
    List<ControlMessage> fromSubtasks =
        List.of(labelSetVersion(3), labelSetVersion(7), labelSetVersion(5), labelSetVersion(2));

    List<ControlMessage> newest = List.copyOf(ControlMessage.newestOfEachKind(fromSubtasks));

    assertEquals(1, newest.size(), "one message per kind: " + newest);
    assertEquals(ControlMessage.Kind.LABEL_SET, newest.get(0).kind);
    assertEquals(7, newest.get(0).order);
  }

  @Test
  void nothingRestoredGivesNothing() {
    assertTrue(ControlMessage.newestOfEachKind(List.of()).isEmpty());
  }
}
