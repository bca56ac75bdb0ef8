package org.rnn4j.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.text.DataException;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;
import scala.Tuple2;

/**
 * A labelled data set as the executors hold it: the vocabulary counted where the texts are, and the
 * texts encoded into one cached {@link Shard} per partition with consecutive global indices.
 */
final class SparkData {
  private SparkData() {}

  /** The shards, how many examples they hold, the data's sha256 and every example's length. */
  record Encoded(JavaRDD<Shard> shards, int size, String sha256, int[] lengths) {}

  /**
   * The training vocabulary, built as a single process builds it (count descending, then code
   * point order; min-freq and max-vocab), from token counts summed across the partitions.
   */
  static Vocabulary vocabulary(Dataset<Row> labelAndText, TrainingConfig cfg) {
    String tokenizerName = cfg.tokenizer();
    List<Tuple2<String, Integer>> counts = labelAndText.javaRDD().mapPartitionsToPair(rows -> {
      Tokenizer tokenizer = Tokenizer.named(tokenizerName);
      Map<String, Integer> c = new HashMap<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        if (!r.isNullAt(1)) {
          for (String t : tokenizer.tokenize(r.getString(1))) {
            c.merge(t, 1, Integer::sum);
          }
        }
      }
      List<Tuple2<String, Integer>> out = new ArrayList<>(c.size());
      c.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
      return out.iterator();
    }).reduceByKey(Integer::sum).collect();
    Vocabulary.Builder b = Vocabulary.builder();
    for (Tuple2<String, Integer> c : counts) {
      b.add(c._1(), c._2());
    }
    return b.build(List.of(Vocabulary.UNK, Vocabulary.PAD), cfg.minFreq(), cfg.maxVocab());
  }

  /** One partition's encoded rows before their global position is known, with what was wrong in it. */
  private record Part(int partition, int[][] ids, int[] labels, int badRows, String firstProblem, String sha256)
      implements Serializable {}

  /**
   * Encodes the rows (columns label, text) and caches them. A row with no label, a label the
   * classes do not know, or a text without tokens is skipped when the config says so; otherwise the
   * first one is reported by its row number in the data.
   */
  static Encoded encode(Dataset<Row> labelAndText, String what, List<String> classes, Vocabulary vocab,
                        TrainingConfig cfg) throws DataException {
    String tokenizerName = cfg.tokenizer();
    int maxLength = cfg.maxLength();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    JavaRDD<Row> rows = labelAndText.javaRDD();
    Broadcast<String> vocabText = JavaSparkContext.fromSparkContext(rows.context()).broadcast(vocab.toText());
    JavaRDD<Part> parts = rows.mapPartitionsWithIndex((p, it) -> List.of(encodePartition(p, it, tokenizerName,
        Vocabulary.fromText(vocabText.value(), "the run's vocabulary"), index, maxLength, what)).iterator(), true)
        .persist(StorageLevel.MEMORY_AND_DISK());
    // Per partition: size, bad rows, first problem, sha256 (small); the ids stay where they are.
    List<Tuple2<Integer, Object[]>> info = parts.map(x -> new Tuple2<>(x.partition(), new Object[] {
        x.ids().length, x.badRows(), x.firstProblem(), x.sha256(), lengths(x.ids())})).collect();
    long[] starts = new long[info.size() + 1];
    int bad = 0;
    String first = null;
    MessageDigest all = sha256();
    List<int[]> lengthParts = new ArrayList<>();
    for (Tuple2<Integer, Object[]> t : info) {
      Object[] v = t._2();
      starts[t._1() + 1] = (Integer) v[0];
      bad += (Integer) v[1];
      if (first == null && v[2] != null) {
        first = (String) v[2];
      }
      all.update(((String) v[3]).getBytes(StandardCharsets.US_ASCII));
      lengthParts.add((int[]) v[4]);
    }
    if (bad > 0 && !cfg.skipBadRows()) {
      throw new DataException(java.nio.file.Path.of(what), 0, bad + " bad row" + (bad == 1 ? "" : "s")
          + ", the first: " + first + " (skip them with {skipBadRows})");
    }
    for (int i = 1; i < starts.length; i++) {
      starts[i] += starts[i - 1];
    }
    long[] offsets = starts;
    JavaRDD<Shard> shards = parts.map(x -> new Shard(offsets[x.partition()], x.ids(), x.labels()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    shards.count();
    parts.unpersist(false);
    long n = starts[starts.length - 1];
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the " + what + " has " + n + " rows; at most 2^31 - 9 per run");
    }
    int[] lengths = new int[(int) n];
    int at = 0;
    for (int[] l : lengthParts) {
      System.arraycopy(l, 0, lengths, at, l.length);
      at += l.length;
    }
    return new Encoded(shards, (int) n, HexFormat.of().formatHex(all.digest()), lengths);
  }

  private static Part encodePartition(int partition, Iterator<Row> rows, String tokenizerName, Vocabulary vocab,
                                      Map<String, Integer> index, int maxLength, String what) {
    Tokenizer tokenizer = Tokenizer.named(tokenizerName);
    List<int[]> ids = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    MessageDigest sha = sha256();
    int bad = 0;
    String first = null;
    for (int row = 0; rows.hasNext(); row++) {
      Row r = rows.next();
      String label = r.isNullAt(0) ? null : r.getString(0);
      String text = r.isNullAt(1) ? null : r.getString(1);
      sha.update((label + "\t" + text + "\n").getBytes(StandardCharsets.UTF_8));
      String problem = null;
      Integer y = label == null ? null : index.get(label);
      List<String> tokens = text == null ? List.of() : tokenizer.tokenize(text);
      if (label == null) {
        problem = "no label";
      } else if (y == null) {
        problem = "label '" + label + "' does not occur in the training data (classes: " + index.keySet() + ")";
      } else if (tokens.isEmpty()) {
        problem = "the text has no " + tokenizer.name() + " tokens";
      }
      if (problem != null) {
        bad++;
        if (first == null) {
          first = "row " + (row + 1) + " of partition " + partition + ": " + problem;
        }
        continue;
      }
      int[] e = vocab.encode(tokens);
      ids.add(maxLength > 0 && e.length > maxLength ? Arrays.copyOf(e, maxLength) : e);
      labels.add(y);
    }
    return new Part(partition, ids.toArray(int[][]::new), labels.stream().mapToInt(Integer::intValue).toArray(),
        bad, first, HexFormat.of().formatHex(sha.digest()));
  }

  private static int[] lengths(int[][] ids) {
    int[] l = new int[ids.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = ids[i].length;
    }
    return l;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
