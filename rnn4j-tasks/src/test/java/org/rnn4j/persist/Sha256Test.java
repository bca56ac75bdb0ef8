package org.rnn4j.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
  @TempDir
  Path dir;

  @Test
  void of_filesOneAfterTheOther_equalsTheirBytesJoined() throws IOException {
    byte[] big = new byte[200_000]; // longer than one read buffer
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    Path a = Files.write(dir.resolve("a"), big);
    Path b = Files.writeString(dir.resolve("b"), "zwei\n");
    byte[] joined = new byte[big.length + 5];
    System.arraycopy(big, 0, joined, 0, big.length);
    System.arraycopy("zwei\n".getBytes(StandardCharsets.UTF_8), 0, joined, big.length, 5);
    assertEquals(Sha256.of(joined), Sha256.of(a, b));
    assertEquals(Sha256.of(big), Sha256.of(a));
    // the digest the tests elsewhere pin: sha256 of "abc"
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Sha256.of(Files.writeString(dir.resolve("c"), "abc")));
  }
}
