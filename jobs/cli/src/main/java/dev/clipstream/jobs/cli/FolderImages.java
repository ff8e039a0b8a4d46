package dev.clipstream.jobs.cli;

import dev.clipstream.model.data.LabelledSource;
import dev.clipstream.model.preprocess.DecodeOutcome;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.ImageDecoder;
import dev.clipstream.model.preprocess.PreprocessOptions;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A folder of image files labelled by a CSV file (RFC 4180: a header row naming a {@code file} and
 * a {@code label} column, quoted fields, commas and quotes inside quotes), decoded on demand. The
 * folder's other files are named by {@link #notListed}, not passed over in silence.
 */
record FolderImages(Path dir, List<String> files, List<String> labels, List<String> notListed)
    implements LabelledSource {

  static final String FILE_COLUMN = "file";
  static final String LABEL_COLUMN = "label";

  private static final CSVFormat LABELS_CSV =
      CSVFormat.RFC4180
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .setIgnoreEmptyLines(true)
          .setIgnoreSurroundingSpaces(true)
          .setCommentMarker('#')
          .get();

  static FolderImages read(Path dir, Path labelsFile) throws IOException {
    if (labelsFile == null) {
      throw new UserError("--images needs --labels-file");
    }
    if (!Files.isDirectory(dir)) {
      throw new UserError(dir + ": no such directory");
    }
    List<String> files = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    try (Reader in =
            Files.newBufferedReader(CliFiles.readable(labelsFile), StandardCharsets.UTF_8);
        CSVParser csv = CSVParser.parse(in, LABELS_CSV)) {
      String file = column(csv, labelsFile, FILE_COLUMN);
      String label = column(csv, labelsFile, LABEL_COLUMN);
      for (CSVRecord row : csv) {
        String name = row.isSet(file) ? row.get(file) : "";
        String value = row.isSet(label) ? row.get(label) : "";
        if (name.isEmpty() || value.isEmpty()) {
          throw new UserError(
              labelsFile + " row " + row.getRecordNumber() + ": needs a file and a label");
        }
        if (!Files.isRegularFile(dir.resolve(name))) {
          throw new UserError(
              labelsFile + " row " + row.getRecordNumber() + ": no file " + dir.resolve(name));
        }
        files.add(name);
        labels.add(value);
      }
    } catch (UncheckedIOException | IllegalStateException e) {
      // Commons CSV reports a malformed file (an unclosed quote) as an unchecked exception.
      throw new UserError(labelsFile + ": not valid CSV: " + message(e));
    }
    if (files.isEmpty()) {
      throw new UserError(labelsFile + ": no rows under the header");
    }
    return new FolderImages(dir, files, labels, notListed(dir, files, labelsFile));
  }

  /** The header's name for {@code wanted} (any case), or a one-line error naming the header. */
  private static String column(CSVParser csv, Path labelsFile, String wanted) {
    for (Map.Entry<String, Integer> h : csv.getHeaderMap().entrySet()) {
      if (h.getKey().strip().toLowerCase(Locale.ROOT).equals(wanted)) {
        return h.getKey();
      }
    }
    throw new UserError(
        labelsFile
            + ": the header row must name a '"
            + FILE_COLUMN
            + "' and a '"
            + LABEL_COLUMN
            + "' column (it has: "
            + String.join(", ", csv.getHeaderNames())
            + ")");
  }

  /** The folder's files that the labels file does not list (the labels file itself aside). */
  private static List<String> notListed(Path dir, List<String> files, Path labelsFile)
      throws IOException {
    Set<Path> listed = new HashSet<>();
    files.forEach(f -> listed.add(dir.resolve(f).toAbsolutePath().normalize()));
    listed.add(labelsFile.toAbsolutePath().normalize());
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(p -> !listed.contains(p.toAbsolutePath().normalize()))
          .map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : ""))
          .sorted()
          .toList();
    }
  }

  private static String message(Exception e) {
    Throwable t = e.getCause() != null ? e.getCause() : e;
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public int count() {
    return files.size();
  }

  @Override
  public String label(int i) {
    return labels.get(i);
  }

  @Override
  public DecodedImage pixels(int i) {
    Path file = dir.resolve(files.get(i));
    try {
      DecodeOutcome outcome =
          new ImageDecoder(
                  PreprocessOptions.DEFAULT_MAX_PIXELS, PreprocessOptions.DEFAULT_MAX_BYTES)
              .decode(Files.readAllBytes(CliFiles.readable(file)));
      if (outcome instanceof DecodeOutcome.Rejected r) {
        throw new UserError(file + ": " + r.message());
      }
      return ((DecodeOutcome.Decoded) outcome).image();
    } catch (IOException e) {
      throw new UserError(file + ": " + e.getMessage());
    }
  }

  /** The distinct labels in order of first appearance. */
  List<String> classes() {
    return labels.stream().distinct().toList();
  }
}
