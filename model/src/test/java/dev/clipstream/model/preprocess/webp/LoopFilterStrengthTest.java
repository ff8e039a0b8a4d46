package dev.clipstream.model.preprocess.webp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Filter limits as RFC 6386 sections 15.2 and 15.3 derive them from level and sharpness. */
class LoopFilterStrengthTest {

  @Test
  void limitsFollowTheRfcFormulas() {
    for (int level = 1; level < 64; level++) {
      for (int sharpness = 0; sharpness < 8; sharpness++) {
        LoopFilter.Strength s = LoopFilter.Strength.of(level, sharpness, true);
        // interior_limit: level, shifted by 1 (sharpness 1..4) or 2 (5..7), at most 9 -
        // sharpness, at least 1.
        int interior = sharpness == 0 ? level : level >> (sharpness > 4 ? 2 : 1);
        if (sharpness > 0) {
          interior = Math.min(interior, 9 - sharpness);
        }
        interior = Math.max(1, interior);
        assertEquals(interior, s.interior(), level + "/" + sharpness);
        assertEquals(level * 2 + interior, s.limit(), "sub_bedge_limit");
        assertEquals((level + 2) * 2 + interior, s.limit() + 4, "mbedge_limit");
        assertEquals(level >= 40 ? 2 : level >= 15 ? 1 : 0, s.hev(), "key-frame hev_threshold");
      }
    }
  }

  @Test
  void levelZeroFiltersNothing() {
    assertEquals(0, LoopFilter.Strength.of(0, 3, true).limit());
  }
}
