package org.rnn4j.translate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.persist.Sha256;
import org.rnn4j.text.DataException;
import org.rnn4j.text.ParallelText;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;

/**
 * The pairs of a translation run, tokenized and encoded as torch_seq2seq.py does: vocabularies from
 * every training pair ({@code <unk> <pad> <bos> <eos>}, then by count, ties in code-point order),
 * then the training pairs with more than {@code maxLength} tokens on either side left out;
 * validation pairs are all kept, their sources cut to {@code maxLength}.
 */
final class TranslationData {
  static final List<String> SOURCE_SPECIALS = List.of(Vocabulary.UNK, Vocabulary.PAD, Translator.BOS,
      Translator.EOS);

  /** One encoded pair: source ids, target ids (without bos or eos) and the raw reference text. */
  record Example(int[] source, int[] target, List<String> targetTokens, String reference, boolean truncated) {}

  final Vocabulary sourceVocab;
  final Vocabulary targetVocab;
  final List<Example> train;
  final List<Example> valid;
  final int leftOut;
  final String trainSha;
  final String validSha;

  private TranslationData(Vocabulary sourceVocab, Vocabulary targetVocab, List<Example> train, List<Example> valid,
                          int leftOut, String trainSha, String validSha) {
    this.sourceVocab = sourceVocab;
    this.targetVocab = targetVocab;
    this.train = train;
    this.valid = valid;
    this.leftOut = leftOut;
    this.trainSha = trainSha;
    this.validSha = validSha;
  }

  /**
   * Reads the run's pairs; with {@code sourceVocab}/{@code targetVocab} given (a resumed run) they
   * are used instead of built.
   */
  static TranslationData read(TranslationConfig cfg, Vocabulary sourceVocab, Vocabulary targetVocab)
      throws IOException {
    Pairs training = Pairs.read(cfg.data(), cfg.sourceFile, cfg.targetFile, cfg);
    String trainSha = training.sha();
    List<ParallelText.Pair> pairs = training.pairs;
    Pairs validPairs;
    String validSha = null;
    if (cfg.valid() != null || cfg.validSourceFile != null) {
      validPairs = Pairs.read(cfg.valid(), cfg.validSourceFile, cfg.validTargetFile, cfg);
      validSha = validPairs.sha();
    } else {
      int cut = (int) Math.round(pairs.size() * (1 - cfg.validFraction()));
      validPairs = new Pairs(pairs.subList(cut, pairs.size()), training.sourceFile, training.targetFile);
      pairs = pairs.subList(0, cut);
    }
    Tokenizer tokenizer = Tokenizer.named(cfg.tokenizer());
    List<List<String>> src = new ArrayList<>();
    List<List<String>> tgt = new ArrayList<>();
    for (ParallelText.Pair p : pairs) {
      src.add(tokenizer.tokenize(p.source()));
      tgt.add(tokenizer.tokenize(p.target()));
    }
    if (sourceVocab == null) {
      sourceVocab = build(src, cfg);
      targetVocab = build(tgt, cfg);
    }
    List<Example> train = new ArrayList<>();
    int leftOut = 0;
    for (int i = 0; i < pairs.size(); i++) {
      int s = src.get(i).size();
      int t = tgt.get(i).size();
      if (s == 0 || t == 0 || s > cfg.maxLength || t > cfg.maxLength) {
        leftOut++;
        continue;
      }
      train.add(new Example(sourceVocab.encode(src.get(i)), targetVocab.encode(tgt.get(i)), tgt.get(i),
          pairs.get(i).target(), false));
    }
    if (train.isEmpty()) {
      throw new DataException(training.sourceFile, 0, "no training pair has 1.." + cfg.maxLength + " tokens on both sides ({maxLength})");
    }
    List<Example> valid = evaluationExamples(validPairs, tokenizer, sourceVocab, targetVocab, cfg.maxLength);
    return new TranslationData(sourceVocab, targetVocab, train, valid, leftOut, trainSha, validSha);
  }

  /**
   * The pairs of an evaluation set ({@code valid}, or {@code validSourceFile} and
   * {@code validTargetFile}), encoded with a model's vocabularies and source limit.
   */
  static List<Example> readEvaluation(TranslationConfig cfg, Translator t) throws IOException {
    return evaluationExamples(Pairs.read(cfg.valid(), cfg.validSourceFile, cfg.validTargetFile, cfg), t.tokenizer(),
        t.sourceVocabulary(), t.targetVocabulary(), t.maxLength());
  }

  /**
   * Pairs as read, and the files they came from: a table (both files the table) or a source and a
   * target file, whose names the errors about a pair give.
   */
  private record Pairs(List<ParallelText.Pair> pairs, Path sourceFile, Path targetFile) {
    /** The table, or with sourceFile given the two parallel files; the table's columns are cfg's. */
    static Pairs read(Path table, Path sourceFile, Path targetFile, TranslationConfig cfg) throws IOException {
      return sourceFile != null
          ? new Pairs(ParallelText.readParallel(sourceFile, targetFile), sourceFile, targetFile)
          : new Pairs(ParallelText.readTable(table, cfg.sourceColumn, cfg.targetColumn), table, table);
    }

    /** The sha256 of the file, or of the two files one after the other. */
    String sha() throws IOException {
      return sourceFile.equals(targetFile) ? Sha256.of(sourceFile) : Sha256.of(sourceFile, targetFile);
    }
  }

  /**
   * Every pair, its source cut to maxLength; a side without tokens is an error naming its file and
   * line.
   */
  private static List<Example> evaluationExamples(Pairs pairs, Tokenizer tokenizer, Vocabulary sourceVocab,
                                                  Vocabulary targetVocab, int maxLength) throws DataException {
    List<Example> out = new ArrayList<>(pairs.pairs.size());
    for (ParallelText.Pair p : pairs.pairs) {
      List<String> s = tokenizer.tokenize(p.source());
      List<String> t = tokenizer.tokenize(p.target());
      if (s.isEmpty() || t.isEmpty()) {
        throw new DataException(s.isEmpty() ? pairs.sourceFile : pairs.targetFile, p.line(),
            "the " + (s.isEmpty() ? "source" : "target") + " sentence has no tokens");
      }
      int[] ids = sourceVocab.encode(s.subList(0, Math.min(s.size(), maxLength)));
      out.add(new Example(ids, targetVocab.encode(t), t, p.target(), s.size() > maxLength));
    }
    return out;
  }

  private static Vocabulary build(List<List<String>> sentences, TranslationConfig cfg) {
    Vocabulary.Builder b = Vocabulary.builder();
    for (List<String> s : sentences) {
      b.add(s);
    }
    return b.build(SOURCE_SPECIALS, cfg.minFreq(), cfg.maxVocab());
  }
}
