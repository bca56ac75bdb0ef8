package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md are the imports of the main sources: a package imports only
 * packages of a lower layer, and every package has a layer.
 */
class ArchitectureTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern LAYER_ROW = Pattern.compile("^\\s*(\\d+)\\s+(org\\.rnn4j.*)$");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  /** Imports and fully qualified names: a package name (lower case parts) followed by a type. */
  private static final Pattern REFERENCE = Pattern.compile("\\b(org\\.rnn4j(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  /** The table under "Layers" in docs/architecture.md: package → layer. */
  static Map<String, Integer> layers(List<String> doc) {
    Map<String, Integer> layers = new LinkedHashMap<>();
    for (String line : doc) {
      Matcher m = LAYER_ROW.matcher(line);
      if (m.matches()) {
        for (String pkg : m.group(2).trim().split("\\s+")) {
          layers.put(pkg, Integer.parseInt(m.group(1)));
        }
      }
    }
    return layers;
  }

  /** What breaks the layers in one source file: "file: a imports b (layer x → y)" or an unplaced package. */
  static List<String> violations(String file, String source, Map<String, Integer> layers) {
    List<String> out = new ArrayList<>();
    Matcher p = PACKAGE.matcher(source);
    if (!p.find()) {
      return out;
    }
    String pkg = p.group(1);
    Integer own = layers.get(pkg);
    if (own == null) {
      out.add(file + ": package " + pkg + " has no layer in docs/architecture.md");
      return out;
    }
    String body = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    Matcher r = REFERENCE.matcher(body);
    TreeSet<String> seen = new TreeSet<>();
    while (r.find()) {
      String used = r.group(1);
      if (used.equals(pkg) || !seen.add(used)) {
        continue;
      }
      Integer layer = layers.get(used);
      if (layer == null) {
        out.add(file + ": uses " + used + ", which has no layer in docs/architecture.md");
      } else if (layer >= own) {
        out.add(file + ": " + pkg + " (layer " + own + ") uses " + used + " (layer " + layer + ")");
      }
    }
    return out;
  }

  @Test
  void imports_stayBelowTheirLayerInArchitectureDoc() throws IOException {
    Map<String, Integer> layers = layers(Files.readAllLines(ROOT.resolve("docs/architecture.md")));
    assertTrue(layers.size() >= 14, "the layer table of docs/architecture.md was not found: " + layers);
    List<String> violations = new ArrayList<>();
    TreeSet<String> packages = new TreeSet<>();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path module : modules.filter(d -> d.getFileName().toString().startsWith("rnn4j-")).toList()) {
        Path src = module.resolve("src/main/java");
        if (!Files.isDirectory(src)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(src)) {
          files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("module-info.java")).forEach(f -> {
            try {
              String source = Files.readString(f);
              Matcher p = PACKAGE.matcher(source);
              if (p.find()) {
                packages.add(p.group(1));
              }
              violations.addAll(violations(ROOT.relativize(f).toString(), source, layers));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
        }
      }
    }
    assertEquals(List.of(), violations);
    assertEquals(new TreeSet<>(layers.keySet()), packages, "the table places exactly the packages that exist");
  }

  @Test
  void violations_reportAnUpwardImportAndAnUnplacedPackage() {
    Map<String, Integer> layers = layers(List.of("  2    org.rnn4j.network", "  1    org.rnn4j.nn"));
    assertEquals(List.of("Layer.java: org.rnn4j.nn (layer 1) uses org.rnn4j.network (layer 2)"),
        violations("Layer.java", "package org.rnn4j.nn;\nimport org.rnn4j.network.ClassifierNet;\n", layers));
    assertEquals(List.of("Net.java: org.rnn4j.network (layer 2) uses org.rnn4j.network2 (layer 2)"),
        violations("Net.java", "package org.rnn4j.network;\nclass Net { org.rnn4j.network2.X x; }\n",
            Map.of("org.rnn4j.network", 2, "org.rnn4j.network2", 2)));
    assertEquals(List.of("X.java: package org.rnn4j.other has no layer in docs/architecture.md"),
        violations("X.java", "package org.rnn4j.other;\n", layers));
    assertEquals(List.of(), violations("Net.java",
        "package org.rnn4j.network;\nimport org.rnn4j.nn.Linear; // org.rnn4j.cli.Main in a comment\n", layers));
  }
}
