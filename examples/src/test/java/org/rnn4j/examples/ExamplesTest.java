package org.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.classify.Prediction;

/** The examples run as a user's project would run them: from the installed jars, on the module path. */
class ExamplesTest {
  private static final String[] SPORTS = {"match", "goal", "striker", "team", "coach", "league", "season",
      "cup", "stadium", "players", "referee", "penalty"};
  private static final String[] MARKETS = {"shares", "market", "profit", "bank", "investors", "stocks",
      "earnings", "rates", "prices", "economy", "dividend", "quarter"};
  private static final String[] FILLER = {"the", "a", "after", "in", "on", "with", "today", "and", "new", "big"};

  @TempDir Path dir;

  /** Two topics, each sentence four topic words among four fillers: an LSTM tells them apart within four epochs. */
  private static void writeTopics(Path file, int rows, long seed) throws IOException {
    Random r = new Random(seed);
    List<String> lines = new ArrayList<>(List.of("label,text"));
    for (int i = 0; i < rows; i++) {
      boolean sports = r.nextBoolean();
      List<String> words = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        words.add((sports ? SPORTS : MARKETS)[r.nextInt(SPORTS.length)]);
        words.add(FILLER[r.nextInt(FILLER.length)]);
      }
      Collections.shuffle(words, r);
      lines.add((sports ? "sports" : "markets") + "," + String.join(" ", words));
    }
    Files.write(file, lines);
  }

  @Test
  void newsClassifier_trainsFromFilesAndPredicts() throws IOException {
    Path train = dir.resolve("train.csv");
    Path valid = dir.resolve("valid.csv");
    writeTopics(train, 600, 1);
    writeTopics(valid, 100, 2);
    List<String> log = new ArrayList<>();
    List<Prediction> p = NewsClassifier.run(train, valid, dir.resolve("model"), 4,
        List.of("the striker scored a goal in the cup match", "bank shares and profit rise as rates fall"),
        log::add);

    assertEquals("sports", p.get(0).label());
    assertEquals("markets", p.get(1).label());
    assertTrue(p.get(0).probability("sports") > 0.9, p.get(0).toString());
    assertTrue(log.stream().anyMatch(l -> l.startsWith("epoch 4")), String.join("\n", log));
    assertTrue(Files.isRegularFile(dir.resolve("model/model.safetensors")));
  }

  @Test
  void characterModel_learnsAndSamplesTheSameTextForTheSameSeed() throws IOException {
    Path text = dir.resolve("text.txt");
    Files.writeString(text, "to be, or not to be, that is the question.\n".repeat(400));
    List<String> log = new ArrayList<>();
    String first = CharacterModel.run(text, dir.resolve("lm"), 8, "to be", 80, log::add);
    String again = CharacterModel.run(text, dir.resolve("lm2"), 8, "to be", 80, s -> {});

    assertEquals(80, first.length());
    assertEquals(first, again);
    // A uniform guess over the text's 17 characters costs log2(17) = 4.1 bits; after 8 epochs the
    // model measured 0.42 bits (seed 1), having learned the repeated line.
    double bits = Double.parseDouble(log.get(0).split(" ")[0]);
    assertTrue(bits < 1.0, log.get(0));
  }

  /** The API a user sees is what module-info.java exports; implementation packages stay closed. */
  @Test
  void modules_exportOnlyTheApiPackages() {
    assertEquals(Set.of("org.rnn4j", "org.rnn4j.io", "org.rnn4j.nn", "org.rnn4j.network", "org.rnn4j.optim",
        "org.rnn4j.random"), unqualifiedExports("org.rnn4j.core"));
    assertEquals(Set.of("org.rnn4j.text"), unqualifiedExports("org.rnn4j.text"));
    assertEquals(Set.of("org.rnn4j.classify", "org.rnn4j.lm", "org.rnn4j.persist", "org.rnn4j.train",
        "org.rnn4j.translate"),
        unqualifiedExports("org.rnn4j.tasks"));
    assertTrue(ExamplesTest.class.getModule().isNamed(), "the examples must run on the module path");
  }

  private static Set<String> unqualifiedExports(String module) {
    ModuleDescriptor d = ModuleLayer.boot().findModule(module).orElseThrow().getDescriptor();
    return d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
