package dev.clipstream.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream tokenize}: JSON lines of texts in, the same lines with CLIP token ids out. */
@Command(
    name = "tokenize",
    mixinStandardHelpOptions = true,
    description = {
      "Read JSON lines {\"text\": ...} and write {\"text\": ..., \"ids\": [...]} with CLIP's token ids.",
      "Ids include the start (49406) and end (49407) tokens; --context-length gives fixed rows as clip.tokenize."
    })
final class TokenizeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--in", description = "JSON lines file (default: standard input).")
  Path in;

  @Option(
      names = "--context-length",
      description = "Pad/truncate to this many ids (as clip.tokenize(truncate=True)).")
  Integer contextLength;

  @Override
  public Integer call() throws IOException {
    ObjectMapper json = new ObjectMapper();
    ClipTokenizer tokenizer = ClipTokenizer.load();
    PrintWriter out = spec.commandLine().getOut();
    try (BufferedReader reader =
        in == null
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(CliFiles.readable(in), StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      for (String line; (line = reader.readLine()) != null; ) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String text = textOf(json, line, lineNumber);
        int[] ids =
            contextLength == null
                ? tokenizer.encodeWithSpecialTokens(text)
                : tokenizer.tokenize(text, contextLength);
        ObjectNode row = json.createObjectNode().put("text", text);
        ids(row, ids);
        out.println(json.writeValueAsString(row));
      }
    }
    out.flush();
    return 0;
  }

  private static String textOf(ObjectMapper json, String line, int lineNumber) {
    try {
      JsonNode node = json.readTree(line);
      if (node != null && node.isObject() && node.path("text").isTextual()) {
        return node.get("text").asText();
      }
    } catch (IOException e) {
      // reported below
    }
    throw new UserError("line " + lineNumber + " is not a JSON object with a \"text\" string");
  }

  private static void ids(ObjectNode row, int[] ids) {
    var array = row.putArray("ids");
    for (int id : ids) {
      array.add(id);
    }
  }
}
