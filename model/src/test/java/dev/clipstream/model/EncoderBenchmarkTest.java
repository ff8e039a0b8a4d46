package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark measures both towers at every batch size asked for. */
class EncoderBenchmarkTest {

  @Test
  void reportsThroughputOfBothTowersPerBatchSize() throws IOException {
    List<EncoderBenchmark.Row> rows;
    try (ClipModel model = ClipModel.load(ReferenceFixtures.weights(), LoadOptions.defaults())) {
      rows = EncoderBenchmark.run(model, "reference", new int[] {1, 3}, 1, 2);
    }

    assertEquals(4, rows.size());
    assertEquals(
        List.of("image", "image", "text", "text"), rows.stream().map(r -> r.tower()).toList());
    assertEquals(List.of(1, 3, 1, 3), rows.stream().map(r -> r.batchSize()).toList());
    for (EncoderBenchmark.Row row : rows) {
      assertTrue(row.itemsPerSecond() > 0 && row.intraOpThreads() >= 1, row.toString());
    }
    String table = EncoderBenchmark.table(rows);
    System.out.print(table);
    assertTrue(table.lines().count() == 5 && table.contains("items/s"), table);
  }
}
