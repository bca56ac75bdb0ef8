package org.rnn4j.translate;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.network.Seq2SeqNet;
import org.rnn4j.text.Vocabulary;

/**
 * A translation model's figures on a set of pairs: the teacher-forced loss and token accuracy over
 * the target tokens and eos, and the corpus BLEU of its translations, on the model's target tokens
 * joined by spaces against the reference tokenized the same way (torch_seq2seq.py's BLEU,
 * sacreBLEU tokenize="none"), and on detokenized output against the raw references (tokenize="13a").
 *
 * @param sentences pairs scored
 * @param truncated sources longer than the model's limit, cut to it
 */
public record Evaluation(double loss, double tokenAccuracy, double bleu, double bleu13a, int sentences,
                         int truncated, List<Translator.Translation> translations) {
  /** Pairs scored together. */
  static final int CHUNK = Translator.CHUNK;

  static Evaluation of(Translator t, List<TranslationData.Example> pairs, DecodeOptions options) {
    Seq2SeqNet net = t.net();
    Seq2SeqNet.Workspace ws = net.newWorkspace();
    Vocabulary target = t.targetVocabulary();
    TranslationTask.Batch batch = new TranslationTask.Batch();
    int[] identity = new int[pairs.size()];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = i;
    }
    double lossSum = 0;
    long tokens = 0;
    long correct = 0;
    List<Translator.Translation> translations = new ArrayList<>(pairs.size());
    List<String> hyps = new ArrayList<>(pairs.size());
    List<String> refs = new ArrayList<>(pairs.size());
    List<String> detokenized = new ArrayList<>(pairs.size());
    List<String> raw = new ArrayList<>(pairs.size());
    int truncated = 0;
    Seq2SeqNet.Decoding buffers = net.newDecoding();
    for (int from = 0; from < pairs.size(); from += CHUNK) {
      int to = Math.min(pairs.size(), from + CHUNK);
      batch.fill(pairs, identity, from, to, target.paddingId(), target.id(Translator.BOS), target.id(Translator.EOS));
      net.forward(ws, batch.source, batch.sourceLengths, batch.sourceSteps, batch.targetIn, batch.targetLengths,
          batch.targetSteps, false, null);
      Seq2SeqNet.Loss l = net.loss(ws, batch.targetOut, 0f);
      lossSum += l.mean() * l.tokens();
      tokens += l.tokens();
      correct += l.correct();
      List<int[]> ids = new ArrayList<>(to - from);
      boolean[] cut = new boolean[to - from];
      for (int i = from; i < to; i++) {
        ids.add(pairs.get(i).source());
        cut[i - from] = pairs.get(i).truncated();
        truncated += pairs.get(i).truncated() ? 1 : 0;
      }
      for (Translator.Translation tr : t.decodeIds(ids, cut, options, buffers)) {
        translations.add(tr);
        hyps.add(String.join(" ", tr.tokens()));
        detokenized.add(tr.text());
      }
      for (int i = from; i < to; i++) {
        refs.add(String.join(" ", pairs.get(i).targetTokens()));
        raw.add(pairs.get(i).reference());
      }
    }
    double bleu = Bleu.corpus(hyps, refs, Bleu.Tokenize.NONE).bleu();
    double bleu13a = Bleu.corpus(detokenized, raw, Bleu.Tokenize.THIRTEEN_A).bleu();
    return new Evaluation(lossSum / tokens, (double) correct / tokens, bleu, bleu13a, pairs.size(), truncated,
        translations);
  }
}
