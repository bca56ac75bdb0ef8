package org.rnn4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.AtomicFiles;

/** The per-CPU kernel tuning file: kept for this machine only, and a bad one named. */
class KernelTuningTest {
  @TempDir
  Path dir;

  @Test
  void store_loadsBackOnThisMachine() throws IOException {
    Path file = dir.resolve("sub").resolve("kernel-tuning.properties");
    KernelTuning t = new KernelTuning(512, 48, 9L << 20);
    store(t, file);
    assertEquals(Optional.of(t), KernelTuning.load(file));
    assertEquals(Optional.of(KernelTuning.DEFAULTS), storedAndLoaded(KernelTuning.DEFAULTS));
    KernelTuning never = new KernelTuning(256, 96, KernelTuning.NEVER);
    assertEquals(Optional.of(never), storedAndLoaded(never));
  }

  /** As bench --tune stores it. */
  private static void store(KernelTuning t, Path file) throws IOException {
    AtomicFiles.write(file, out -> t.writeTo(out, "test"));
  }

  private Optional<KernelTuning> storedAndLoaded(KernelTuning t) throws IOException {
    Path file = dir.resolve("again.properties");
    store(t, file);
    return KernelTuning.load(file);
  }

  @Test
  void load_missingFile_isEmpty() throws IOException {
    assertEquals(Optional.empty(), KernelTuning.load(dir.resolve("none.properties")));
  }

  /** A stored tuning file with one line replaced. */
  private Path storedWith(String lineRegex, String replacement) throws IOException {
    Path file = dir.resolve("t.properties");
    store(new KernelTuning(128, 48, 0), file);
    Files.writeString(file, Files.readString(file).replaceAll("(?m)^" + lineRegex + "$", replacement));
    return file;
  }

  @Test
  void load_otherMachine_isIgnored() throws IOException {
    // the same file as another CPU (or JVM) would have written it
    Path file = storedWith("machine=.*", "machine=Intel(R) Xeon(R) Platinum 8488C; vector 16 floats");
    assertEquals(Optional.empty(), KernelTuning.load(file));
  }

  @Test
  void load_otherFormat_isIgnored() throws IOException {
    assertEquals(Optional.empty(), KernelTuning.load(storedWith("format=1", "format=2")));
  }

  @Test
  void load_badValue_namesTheFile() throws IOException {
    Path file = storedWith("kc=128", "kc=lots");
    IOException e = assertThrows(IOException.class, () -> KernelTuning.load(file));
    assertTrue(e.getMessage().startsWith(file + ": not a kernel tuning file"), e.getMessage());
  }

  @Test
  void load_valueOutOfRange_namesTheFile() throws IOException {
    Path file = storedWith("mc=48", "mc=50");
    IOException e = assertThrows(IOException.class, () -> KernelTuning.load(file));
    assertTrue(e.getMessage().contains("mc 50"), e.getMessage());
  }

  @Test
  void constructor_outOfRange_throws() {
    assertThrows(IllegalArgumentException.class, () -> new KernelTuning(8, 96, 0));
    assertThrows(IllegalArgumentException.class, () -> new KernelTuning(256, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new KernelTuning(256, 97, 0));
    assertThrows(IllegalArgumentException.class, () -> new KernelTuning(256, 96, -1));
  }

  @Test
  void machineKey_namesTheCpuAndTheJvm() {
    String key = KernelTuning.machineKey();
    assertTrue(key.contains(System.getProperty("java.vm.version")), key);
    assertTrue(key.contains("vector " + Vectorization.lanes() + " floats"), key);
  }
}
