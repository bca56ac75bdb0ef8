package org.rnn4j.persist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex sha256, the fingerprint of model files and training data in every document. */
public final class Sha256 {
  private Sha256() {}

  public static String of(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** The file's sha256, or that of the files one after the other, streamed. */
  public static String of(Path file, Path... more) throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[1 << 16];
    for (int f = -1; f < more.length; f++) {
      try (InputStream in = Files.newInputStream(f < 0 ? file : more[f])) {
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
