package org.rnn4j.translate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.rnn4j.text.PythonText;

/**
 * Corpus BLEU (Papineni et al. 2002) as sacreBLEU 2 computes it ({@code sacrebleu.corpus_bleu} with
 * one reference per sentence): each side right-stripped and tokenized ({@code none}: as it is;
 * {@code 13a}: mteval-v13a's tokenization, WMT's standard), split at white space, clipped n-gram
 * matches of orders 1 to 4 summed over the corpus, the brevity penalty exp(1 - r/c) when the output
 * is shorter than the references, and the geometric mean of the four precisions, times 100.
 *
 * <p>Smoothing as sacreBLEU names it: {@code exp} (its default, and so torch_seq2seq.py's: an order
 * without a match gets precision 100 / (2^k · total) for its k-th such order) or {@code none} (an
 * order without a match makes BLEU 0). With a match at every order, the two agree.
 */
public final class Bleu {
  private Bleu() {}

  /** How a sentence is split into the tokens n-grams are made of. */
  public enum Tokenize {
    /** sacreBLEU's {@code tokenize="none"}: the text's own white-space separated tokens. */
    NONE,
    /** sacreBLEU's {@code tokenize="13a"}. */
    THIRTEEN_A
  }

  /** What sacreBLEU calls smooth_method. */
  public enum Smoothing { EXP, NONE }

  /**
   * @param bleu       the score, 0..100
   * @param precisions the four n-gram precisions in percent
   */
  public record Score(double bleu, long[] correct, long[] total, double[] precisions, double brevityPenalty,
                      long hypothesisLength, long referenceLength) {}

  static final int ORDER = 4;

  /** sacreBLEU's default: exp smoothing. */
  public static Score corpus(List<String> hypotheses, List<String> references, Tokenize tokenize) {
    return corpus(hypotheses, references, tokenize, Smoothing.EXP);
  }

  /** @throws IllegalArgumentException when the lists differ in length */
  public static Score corpus(List<String> hypotheses, List<String> references, Tokenize tokenize,
                             Smoothing smoothing) {
    if (hypotheses.size() != references.size()) {
      throw new IllegalArgumentException(hypotheses.size() + " hypotheses for " + references.size() + " references");
    }
    long[] correct = new long[ORDER];
    long[] total = new long[ORDER];
    long sysLen = 0;
    long refLen = 0;
    for (int i = 0; i < hypotheses.size(); i++) {
      List<String> hyp = tokens(hypotheses.get(i), tokenize);
      List<String> ref = tokens(references.get(i), tokenize);
      sysLen += hyp.size();
      refLen += ref.size();
      for (int n = 1; n <= ORDER; n++) {
        Map<List<String>, int[]> refCounts = ngrams(ref, n);
        Map<List<String>, int[]> hypCounts = ngrams(hyp, n);
        total[n - 1] += Math.max(0, hyp.size() - n + 1);
        for (Map.Entry<List<String>, int[]> e : hypCounts.entrySet()) {
          int[] r = refCounts.get(e.getKey());
          if (r != null) {
            correct[n - 1] += Math.min(e.getValue()[0], r[0]);
          }
        }
      }
    }
    return score(correct, total, sysLen, refLen, smoothing);
  }

  /** sacreBLEU's compute_bleu, without effective order. */
  static Score score(long[] correct, long[] total, long sysLen, long refLen, Smoothing smoothing) {
    double bp = 1.0;
    if (sysLen < refLen) {
      bp = sysLen > 0 ? Math.exp(1 - (double) refLen / sysLen) : 0.0;
    }
    double[] precisions = new double[ORDER];
    boolean anyMatch = false;
    for (long c : correct) {
      anyMatch |= c > 0;
    }
    if (!anyMatch) {
      return new Score(0.0, correct, total, precisions, bp, sysLen, refLen);
    }
    double smooth = 1.0;
    for (int n = 0; n < ORDER; n++) {
      if (total[n] == 0) {
        break;
      }
      if (correct[n] == 0) {
        if (smoothing == Smoothing.EXP) {
          smooth *= 2;
          precisions[n] = 100.0 / (smooth * total[n]);
        }
      } else {
        precisions[n] = 100.0 * correct[n] / total[n];
      }
    }
    double sum = 0;
    for (double p : precisions) {
      sum += p == 0.0 ? -9999999999.0 : Math.log(p);
    }
    return new Score(bp * Math.exp(sum / ORDER), correct, total, precisions, bp, sysLen, refLen);
  }

  private static Map<List<String>, int[]> ngrams(List<String> tokens, int n) {
    Map<List<String>, int[]> counts = new HashMap<>();
    for (int i = 0; i + n <= tokens.size(); i++) {
      counts.computeIfAbsent(tokens.subList(i, i + n), k -> new int[1])[0]++;
    }
    return counts;
  }

  static List<String> tokens(String line, Tokenize tokenize) {
    String s = rstrip(line);
    if (tokenize == Tokenize.THIRTEEN_A) {
      s = tokenize13a(s);
    }
    return PythonText.split(s);
  }

  private static final Pattern SYMBOLS = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
  private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
  private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
  private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

  /** mteval-v13a's tokenization as sacreBLEU's Tokenizer13a applies it, tokens joined by single spaces. */
  public static String tokenize13a(String line) {
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
    if (line.indexOf('&') >= 0) {
      line = line.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    }
    line = " " + line + " ";
    line = SYMBOLS.matcher(line).replaceAll(" $1 ");
    line = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(line).replaceAll("$1 $2 ");
    line = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(line).replaceAll(" $1 $2");
    line = DASH_AFTER_DIGIT.matcher(line).replaceAll("$1 $2 ");
    return String.join(" ", PythonText.split(line));
  }

  private static String rstrip(String s) {
    int end = s.length();
    while (end > 0) {
      int c = s.codePointBefore(end);
      if (!PythonText.isSpace(c)) {
        break;
      }
      end -= Character.charCount(c);
    }
    return s.substring(0, end);
  }
}
