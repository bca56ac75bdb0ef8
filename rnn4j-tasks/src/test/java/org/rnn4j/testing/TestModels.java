package org.rnn4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.rnn4j.classify.ClassifierTrainer;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.lm.LanguageModelConfig;
import org.rnn4j.lm.LanguageModelTrainer;
import org.rnn4j.text.LabeledText;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.translate.TranslationConfig;
import org.rnn4j.translate.TranslatorTrainer;

/**
 * Small models and data for the tests of the modules above rnn4j-tasks (the server, Spark): two
 * topics told apart by their words, a classifier trained on them, a tiny language model and a tiny
 * translation model.
 */
public final class TestModels {
  private static final String[] SPORTS = {"match", "goal", "striker", "team", "coach", "league", "cup"};
  private static final String[] MARKETS = {"shares", "market", "profit", "bank", "stocks", "rates", "prices"};

  private TestModels() {}

  public static List<LabeledText> topics(int n, long seed) {
    Random r = new Random(seed);
    List<LabeledText> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean s = r.nextBoolean();
      List<String> w = new ArrayList<>();
      for (int k = 0; k < 3 + r.nextInt(6); k++) {
        w.add((s ? SPORTS : MARKETS)[r.nextInt(SPORTS.length)]);
        w.add(r.nextBoolean() ? "the" : "today");
      }
      Collections.shuffle(w, r);
      out.add(new LabeledText(s ? "sports" : "markets", String.join(" ", w)));
    }
    return out;
  }

  public static void classifier(Path out, long seed) throws IOException {
    TrainingConfig c = TrainingConfig.builder().embed(8).hidden(8).epochs(1).seed(seed).build();
    ClassifierTrainer.train(c, topics(200, seed), topics(40, seed + 100), out, TrainingControl.silent());
  }

  public static void languageModel(Path out) throws IOException {
    Path text = out.resolveSibling(out.getFileName() + ".txt");
    Files.writeString(text, "to be, or not to be, that is the question.\n".repeat(60));
    LanguageModelTrainer.train(LanguageModelConfig.builder().data(text).hidden(16).embed(8).epochs(1)
        .sampleLength(0).build(), out, TrainingControl.silent());
  }

  /**
   * A tiny translation model trained to reverse the order of words ("the team scores" → "scores
   * team the"), with its pairs written to {@code out.tsv} beside the directory.
   */
  public static void translator(Path out) throws IOException {
    Path data = out.resolveSibling(out.getFileName() + ".tsv");
    Random r = new Random(5);
    StringBuilder b = new StringBuilder("source\ttarget\n");
    for (int i = 0; i < 300; i++) {
      List<String> w = new ArrayList<>();
      for (int k = 0; k < 2 + r.nextInt(4); k++) {
        w.add((r.nextBoolean() ? SPORTS : MARKETS)[r.nextInt(SPORTS.length)]);
      }
      List<String> reversed = new ArrayList<>(w);
      Collections.reverse(reversed);
      b.append(String.join(" ", w)).append('\t').append(String.join(" ", reversed)).append('\n');
    }
    Files.writeString(data, b.toString());
    TranslatorTrainer.train(TranslationConfig.builder().data(data).validFraction(0.1).embed(8).hidden(16).epochs(2)
        .build(), out, TrainingControl.silent());
  }
}
