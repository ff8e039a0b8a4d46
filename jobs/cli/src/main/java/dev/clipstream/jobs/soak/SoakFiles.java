package dev.clipstream.jobs.soak;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The samples as CSV, one row a second. */
final class SoakFiles {
  private SoakFiles() {}

  static final String[] HEADER = {
    "seconds",
    "produced",
    "processed",
    "heap_bytes",
    "heap_committed_bytes",
    "rss_bytes",
    "rss_anon_bytes",
    "direct_bytes",
    "code_and_metaspace_bytes",
    "open_files"
  };

  static void writeCsv(Path file, List<MemorySample> samples) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CSVPrinter csv = CSVFormat.DEFAULT.builder().setHeader(HEADER).get().print(w)) {
      for (MemorySample s : samples) {
        csv.printRecord(
            String.format(Locale.ROOT, "%.1f", s.seconds()),
            s.produced(),
            s.processed(),
            s.heapBytes(),
            s.heapCommittedBytes(),
            s.rssBytes(),
            s.rssAnonBytes(),
            s.directBytes(),
            s.codeAndMetaspaceBytes(),
            s.openFiles());
      }
    }
  }
}
