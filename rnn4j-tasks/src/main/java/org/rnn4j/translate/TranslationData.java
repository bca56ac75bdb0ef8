package org.rnn4j.translate;

import java.io.IOException;
import java.nio.file.Files;
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
    List<ParallelText.Pair> pairs;
    String trainSha;
    if (cfg.sourceFile != null || cfg.targetFile != null) {
      pairs = ParallelText.readParallel(cfg.sourceFile, cfg.targetFile);
      trainSha = Sha256.of(concat(Files.readAllBytes(cfg.sourceFile), Files.readAllBytes(cfg.targetFile)));
    } else {
      pairs = ParallelText.readTable(cfg.data(), cfg.sourceColumn, cfg.targetColumn);
      trainSha = Sha256.of(Files.readAllBytes(cfg.data()));
    }
    List<ParallelText.Pair> validPairs;
    String validSha = null;
    if (cfg.validSourceFile != null) {
      validPairs = ParallelText.readParallel(cfg.validSourceFile, cfg.validTargetFile);
      validSha = Sha256.of(concat(Files.readAllBytes(cfg.validSourceFile), Files.readAllBytes(cfg.validTargetFile)));
    } else if (cfg.valid() != null) {
      validPairs = ParallelText.readTable(cfg.valid(), cfg.sourceColumn, cfg.targetColumn);
      validSha = Sha256.of(Files.readAllBytes(cfg.valid()));
    } else {
      int cut = (int) Math.round(pairs.size() * (1 - cfg.validFraction()));
      validPairs = pairs.subList(cut, pairs.size());
      pairs = pairs.subList(0, cut);
    }
    Tokenizer tokenizer = Tokenizer.named(cfg.tokenizer());
    List<List<String>> src = new ArrayList<>();
    List<List<String>> tgt = new ArrayList<>();
    Path file = cfg.data() != null ? cfg.data() : cfg.sourceFile;
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
      throw new DataException(file, 0, "no training pair has 1.." + cfg.maxLength + " tokens on both sides ({maxLength})");
    }
    Path validSource = cfg.validSourceFile != null ? cfg.validSourceFile : cfg.valid() != null ? cfg.valid() : file;
    Path validTarget = cfg.validTargetFile != null ? cfg.validTargetFile
        : cfg.valid() != null || cfg.targetFile == null ? validSource : cfg.targetFile;
    List<Example> valid = evaluationExamples(validPairs, validSource, validTarget, tokenizer, sourceVocab, targetVocab,
        cfg.maxLength);
    return new TranslationData(sourceVocab, targetVocab, train, valid, leftOut, trainSha, validSha);
  }

  /**
   * The pairs of an evaluation set ({@code valid}, or {@code validSourceFile} and
   * {@code validTargetFile}), encoded with a model's vocabularies and source limit.
   */
  static List<Example> readEvaluation(TranslationConfig cfg, Translator t) throws IOException {
    boolean files = cfg.validSourceFile != null;
    List<ParallelText.Pair> pairs = files ? ParallelText.readParallel(cfg.validSourceFile, cfg.validTargetFile)
        : ParallelText.readTable(cfg.valid(), cfg.sourceColumn, cfg.targetColumn);
    return evaluationExamples(pairs, files ? cfg.validSourceFile : cfg.valid(), files ? cfg.validTargetFile : cfg.valid(),
        t.tokenizer(), t.sourceVocabulary(), t.targetVocabulary(), t.maxLength());
  }

  /**
   * Every pair, its source cut to maxLength; a side without tokens is an error naming its file
   * (sourceFile or targetFile, the same file for a table) and line.
   */
  private static List<Example> evaluationExamples(List<ParallelText.Pair> pairs, Path sourceFile, Path targetFile,
                                                  Tokenizer tokenizer, Vocabulary sourceVocab, Vocabulary targetVocab,
                                                  int maxLength) throws DataException {
    List<Example> out = new ArrayList<>(pairs.size());
    for (ParallelText.Pair p : pairs) {
      List<String> s = tokenizer.tokenize(p.source());
      List<String> t = tokenizer.tokenize(p.target());
      if (s.isEmpty() || t.isEmpty()) {
        throw new DataException(s.isEmpty() ? sourceFile : targetFile, p.line(),
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

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
