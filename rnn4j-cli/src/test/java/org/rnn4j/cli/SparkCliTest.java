package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.Prediction;
import org.rnn4j.io.Json;

/**
 * `rnn4j spark score` as a process, with Spark's jars ahead of rnn4j's as the launcher puts them
 * (rnn4j-spark lists them at package time): the job's output, and its errors as one line.
 */
class SparkCliTest {
  @TempDir static Path dir;
  static Path model;
  static Path input;
  static List<String> texts = new ArrayList<>();

  @BeforeAll
  static void modelAndInput() throws Exception {
    Path train = dir.resolve("train.csv");
    Files.writeString(train, CliTest.corpus(300, 1));
    model = dir.resolve("model");
    CliRunner r = CliRunner.run("train", "--data", train.toString(), "--out", model.toString(), "--embed", "8",
        "--hidden", "8", "--valid-fraction", "0");
    assertEquals(0, r.code, r.toString());
    for (String line : CliTest.corpus(120, 5).split("\n")) {
      if (!line.startsWith("label,")) {
        texts.add(line.substring(line.indexOf(",\"") + 2, line.length() - 1));
      }
    }
    texts.set(3, ""); // an empty text: null columns, not a failed job
    StringBuilder csv = new StringBuilder("id,text\n");
    for (int i = 0; i < texts.size(); i++) {
      csv.append(i).append(",\"").append(texts.get(i)).append("\"\n");
    }
    input = dir.resolve("texts.csv");
    Files.writeString(input, csv.toString());
  }

  /** Exit code, stdout and stderr of `rnn4j spark ARGS...` in its own JVM. */
  static CliRunner spark(String... args) throws Exception {
    Path sparkClasspath = Path.of("..", "rnn4j-spark", "target", "spark-classpath.txt");
    assertTrue(Files.isRegularFile(sparkClasspath), sparkClasspath + " is written when rnn4j-spark is packaged");
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--add-modules", "jdk.incubator.vector"));
    cmd.addAll(List.of(System.getProperty("rnn4j.spark.jvm.args").trim().split("\\s+")));
    // Spark's log at warnings, as the launcher sets it
    cmd.add("-Dlog4j2.configurationFile=" + Path.of("..", "rnn4j-spark", "log4j2-cli.properties").toAbsolutePath());
    cmd.addAll(List.of("-cp", Files.readString(sparkClasspath).trim() + java.io.File.pathSeparator
        + System.getProperty("java.class.path"), Main.class.getName(), "spark"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "rnn4j spark ended");
    CliRunner r = new CliRunner();
    r.code = p.exitValue();
    r.out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    // the JDK's own start-up notes are not the command's output
    r.err = String.join("", Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8).lines()
        .filter(l -> !l.startsWith("WARNING:")).map(l -> l + "\n").toList());
    return r;
  }

  @Test
  void score_csvToJson_equalsPredict() throws Exception {
    Path out = dir.resolve("scored-json");
    CliRunner r = spark("score", "--master", "local[2]", "--model", model.toString(), "--input", input.toString(),
        "--input-format", "csv", "--output", out.toString(), "--output-format", "json", "--json");
    assertEquals(0, r.code, r.toString());
    assertEquals("", r.err, r.toString());
    Map<String, Object> summary = Json.parseObject(r.out.trim());
    assertEquals(texts.size(), ((Number) summary.get("rows")).intValue());
    assertEquals(texts.size() - 1, ((Number) summary.get("scored")).intValue());
    Classifier c = Classifier.load(model);
    int seen = 0;
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
        for (String line : Files.readAllLines(part)) {
          Map<String, Object> row = Json.parseObject(line);
          int id = Integer.parseInt(String.valueOf(row.get("id")));
          seen++;
          if (texts.get(id).isEmpty()) {
            assertTrue(!row.containsKey("label"), line);
            continue;
          }
          Prediction p = c.predict(texts.get(id));
          assertEquals(p.label(), row.get("label"), line);
          assertEquals(p.probabilities()[p.index()], ((Number) row.get("probability")).doubleValue(), 1e-6);
        }
      }
    }
    assertEquals(texts.size(), seen);
  }

  @Test
  void train_toAHadoopUri_writesTheModelThereAndRefusesToOverwriteIt() throws Exception {
    Path train = dir.resolve("spark-train.csv");
    Files.writeString(train, CliTest.corpus(200, 3));
    String out = dir.resolve("trained").toUri().toString(); // file:// goes through Hadoop's FileSystem
    CliRunner r = spark("train", "--master", "local[2]", "--data", train.toString(), "--valid-fraction", "0",
        "--out", out, "--embed", "8", "--hidden", "8", "--batch", "32", "--json");
    assertEquals(0, r.code, r.toString());
    Map<String, Object> summary = Json.parseObject(r.out.lines().reduce((a, b) -> b).orElseThrow());
    assertEquals(out, summary.get("model"));
    assertEquals(List.of("eggs", "ham", "spam"), Classifier.load(dir.resolve("trained")).classes());
    CliRunner again = spark("train", "--master", "local[2]", "--data", train.toString(), "--valid-fraction", "0",
        "--out", out);
    CliRunner.assertOneLineError(again, 2, "rnn4j spark train: error: " + out
        + " already holds files; choose another --out or set --overwrite");
  }

  @Test
  void score_unknownTextColumn_isOneLineNamingTheFlag() throws Exception {
    CliRunner.assertOneLineError(spark("score", "--master", "local[2]", "--model", model.toString(), "--input",
        input.toString(), "--input-format", "csv", "--text-column", "body", "--output", dir.resolve("never").toString()),
        2, "rnn4j spark score: error: --text-column 'body' is not a column of the input (columns: id, text)");
  }
}
