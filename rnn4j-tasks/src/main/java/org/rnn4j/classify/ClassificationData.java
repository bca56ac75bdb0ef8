package org.rnn4j.classify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.persist.Sha256;
import org.rnn4j.random.Rng;
import org.rnn4j.text.DataException;
import org.rnn4j.text.DataReader;
import org.rnn4j.text.LabeledText;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;

/**
 * A classification run's data as ids: the classes, the vocabulary, and the training and validation
 * texts encoded with it, with the sha256 that tells a resumed run its data did not change.
 */
final class ClassificationData {
  /** The held-out validation examples are drawn with the seed mixed with this. */
  private static final long HOLD_OUT_SEED_MIX = 0x7A3F11L;

  List<String> classes;
  Vocabulary vocab;
  int[][] trainIds;
  int[] trainLabels;
  int[][] validIds;
  int[] validLabels;
  String trainSha;
  String validSha;
  int skippedRows;

  private ClassificationData() {}

  /**
   * Reads the data named in cfg (or takes train and valid from memory), holds out validation
   * examples when asked, and encodes everything with {@code vocab}, or with a vocabulary built
   * from the training texts when it is null. Skipped rows are reported to {@code skipped}.
   */
  static ClassificationData load(TrainingConfig cfg, Tokenizer tokenizer, List<LabeledText> train,
                                 List<LabeledText> valid, Vocabulary vocab, Consumer<String> skipped)
      throws IOException {
    ClassificationData d = new ClassificationData();
    List<String> fileClasses = null;
    if (train == null) {
      DataReader.Options o = new DataReader.Options().labelColumn(cfg.labelColumn).textColumn(cfg.textColumn)
          .skipBadRows(cfg.skipBadRows);
      DataReader.Result r = DataReader.read(cfg.data(), cfg.format, o);
      train = r.examples();
      fileClasses = r.classNames();
      d.skippedRows += r.skipped();
      r.skippedReasons().forEach(reason -> skipped.accept("skipped " + reason));
      d.trainSha = Sha256.of(cfg.data());
      if (cfg.valid() != null) {
        DataReader.Result v = DataReader.read(cfg.valid(), cfg.format, o);
        valid = v.examples();
        d.skippedRows += v.skipped();
        d.validSha = Sha256.of(cfg.valid());
      }
    } else {
      d.trainSha = Sha256.of(canonical(train));
      d.validSha = valid == null ? null : Sha256.of(canonical(valid));
    }
    d.classes = ClassifierTrainer.requireTwoClasses(fileClasses != null ? fileClasses : classesOf(train));
    if (valid == null && cfg.validFraction() > 0) {
      List<List<LabeledText>> split = holdOut(train, cfg);
      train = split.get(0);
      valid = split.get(1);
    }
    List<List<String>> trainTokens = new ArrayList<>(train.size());
    for (LabeledText e : train) {
      trainTokens.add(tokenizer.tokenize(e.text()));
    }
    if (vocab == null) {
      Vocabulary.Builder vb = Vocabulary.builder();
      trainTokens.forEach(vb::add);
      vocab = vb.build(List.of(Vocabulary.UNK, Vocabulary.PAD), cfg.minFreq(), cfg.maxVocab());
    }
    d.vocab = vocab;
    d.encode(cfg, tokenizer, train, trainTokens, valid == null ? List.of() : valid);
    return d;
  }

  /** Class names in label order: numerically when all are integers, else by code point. */
  private static List<String> classesOf(List<LabeledText> train) {
    return ClassifierTrainer.classesInLabelOrder(train.stream().map(LabeledText::label).toList());
  }

  static int compareLabels(String a, String b) {
    if (a.matches("-?\\d{1,18}") && b.matches("-?\\d{1,18}")) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    return a.compareTo(b);
  }

  /** Splits off validFraction of the examples, drawn with the seed; keeps both parts in file order. */
  private static List<List<LabeledText>> holdOut(List<LabeledText> train, TrainingConfig cfg) {
    int[] idx = new int[train.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    new Rng(cfg.seed() ^ HOLD_OUT_SEED_MIX).shuffle(idx);
    int nValid = (int) Math.round(train.size() * cfg.validFraction());
    if (nValid < 1 || nValid >= train.size()) {
      throw new InvalidSettingException("{validFraction} " + cfg.validFraction() + " of " + train.size()
          + " examples leaves no validation or no training data");
    }
    boolean[] isValid = new boolean[train.size()];
    for (int i = 0; i < nValid; i++) {
      isValid[idx[i]] = true;
    }
    List<LabeledText> t = new ArrayList<>();
    List<LabeledText> v = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      (isValid[i] ? v : t).add(train.get(i));
    }
    return List.of(t, v);
  }

  /** In-memory examples as bytes, for their sha256. */
  private static byte[] canonical(List<LabeledText> data) {
    StringBuilder b = new StringBuilder();
    for (LabeledText e : data) {
      b.append(e.label()).append('\t').append(e.text()).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void encode(TrainingConfig cfg, Tokenizer tokenizer, List<LabeledText> train,
                      List<List<String>> trainTokens, List<LabeledText> valid) throws IOException {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    trainIds = new int[train.size()][];
    trainLabels = new int[train.size()];
    for (int i = 0; i < trainIds.length; i++) {
      trainIds[i] = encodeOne(cfg, tokenizer, trainTokens.get(i), train.get(i), cfg.data());
      trainLabels[i] = index.get(train.get(i).label());
    }
    validIds = new int[valid.size()][];
    validLabels = new int[valid.size()];
    for (int i = 0; i < validIds.length; i++) {
      LabeledText e = valid.get(i);
      Integer y = index.get(e.label());
      if (y == null) {
        throw new DataException(cfg.valid(), e.line(), "label '" + e.label()
            + "' does not occur in the training data (classes: " + classes + ")");
      }
      validIds[i] = encodeOne(cfg, tokenizer, tokenizer.tokenize(e.text()), e, cfg.valid());
      validLabels[i] = y;
    }
  }

  private int[] encodeOne(TrainingConfig cfg, Tokenizer tokenizer, List<String> tokens, LabeledText e, Path file)
      throws IOException {
    if (tokens.isEmpty()) {
      throw new DataException(file, e.line(), "the text has no " + tokenizer.name() + " tokens");
    }
    int[] ids = vocab.encode(tokens);
    return cfg.maxLength > 0 && ids.length > cfg.maxLength ? Arrays.copyOf(ids, cfg.maxLength) : ids;
  }
}
