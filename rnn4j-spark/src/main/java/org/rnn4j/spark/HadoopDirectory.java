package org.rnn4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.train.TrainingListener;

/**
 * A run's model directory on a Hadoop file system ({@code hdfs://}, {@code s3a://}, {@code file://}):
 * the training loop writes a local copy (its atomic renames need a local disk), and every file is
 * copied to the target after each epoch, after each checkpoint and at the end. A resumed run first
 * copies the target down. What the target holds is therefore at most one checkpoint behind.
 */
final class HadoopDirectory {
  private final org.apache.hadoop.fs.Path target;
  private final FileSystem fs;
  private final Path local;

  private HadoopDirectory(String target, Configuration conf, Path local) throws IOException {
    this.target = new org.apache.hadoop.fs.Path(target);
    this.fs = this.target.getFileSystem(conf);
    this.local = local;
  }

  /** True when {@code out} names a file system (a scheme such as hdfs:, s3a: or file:), not a local path. */
  static boolean isUri(String out) {
    try {
      String scheme = new URI(out).getScheme();
      return scheme != null && scheme.length() > 1;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** A fresh run into {@code target}: a new local staging directory; an existing target needs {@code overwrite}. */
  static HadoopDirectory forNewRun(String target, Configuration conf, boolean overwrite) throws IOException {
    HadoopDirectory d = new HadoopDirectory(target, conf, Files.createTempDirectory("rnn4j-run-"));
    if (!overwrite && d.fs.exists(d.target) && d.fs.listStatus(d.target).length > 0) {
      throw new org.rnn4j.InvalidSettingException(target + " already holds files; choose another {out} or set "
          + "{overwrite}");
    }
    Files.delete(d.local); // the loop creates it, as for any fresh run
    return d;
  }

  /** A resumed run: the target copied down into a local staging directory. */
  static HadoopDirectory forResume(String target, Configuration conf) throws IOException {
    HadoopDirectory d = new HadoopDirectory(target, conf, Files.createTempDirectory("rnn4j-run-"));
    if (!d.fs.exists(d.target)) {
      throw new java.nio.file.NoSuchFileException(target, null, "no run to resume there");
    }
    for (org.apache.hadoop.fs.FileStatus f : d.fs.listStatus(d.target)) {
      d.fs.copyToLocalFile(false, f.getPath(), new org.apache.hadoop.fs.Path(d.local.resolve(f.getPath().getName())
          .toString()), true);
    }
    return d;
  }

  Path local() {
    return local;
  }

  /** Copies every local file to the target, overwriting. */
  void push() {
    if (!Files.isDirectory(local)) {
      return;
    }
    try (Stream<Path> files = Files.list(local)) {
      fs.mkdirs(target);
      for (Path f : files.toList()) {
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(f.toUri()),
            new org.apache.hadoop.fs.Path(target, f.getFileName().toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("copying " + local + " to " + target + ": " + e.getMessage(), e);
    }
  }

  /** A listener that passes everything on to {@code inner} and pushes after each epoch and checkpoint. */
  TrainingListener mirroring(TrainingListener inner) {
    return new TrainingListener() {
      @Override
      public void epochStarted(int epoch, int epochs, long samples) {
        inner.epochStarted(epoch, epochs, samples);
      }

      @Override
      public void batchFinished(int epoch, long done, long samples, double loss, double accuracy) {
        inner.batchFinished(epoch, done, samples, loss, accuracy);
      }

      @Override
      public void evaluating(int epoch) {
        inner.evaluating(epoch);
      }

      @Override
      public void epochFinished(EpochMetrics metrics, boolean best) {
        inner.epochFinished(metrics, best);
        push();
      }

      @Override
      public void message(String text) {
        inner.message(text.replace(local.toString(), target.toString()));
        if (text.contains("checkpoint")) {
          push();
        }
      }
    };
  }
}
