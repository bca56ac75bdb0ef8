package org.rnn4j.math;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The kernels' choices that fit one CPU and not another: the depth of a K block ({@link #kc}), the
 * rows of a block ({@link #mc}), and from what size of W_hh a recurrent layer's threads split each
 * step by hidden units instead of by sequences ({@link #unitSplitWeightBytes}). None changes a
 * result: every element stays one fma chain over k in ascending order, whatever the blocking or the
 * split, so a tuned and an untuned process compute the same bits.
 *
 * <p>{@code rnn4j bench --tune} measures the choices on the machine and stores them in
 * {@link #cacheFile()} under a {@link #machineKey()} of the CPU and the JVM. A process reads that file
 * once; a file made on another CPU or JVM is ignored and the defaults apply (the CPU under a virtual
 * machine can change between sessions). {@code -Drnn4j.tuning=off} ignores the file.
 */
public record KernelTuning(int kc, int mc, long unitSplitWeightBytes) {
  /**
   * Measured on the CPUs this project has run on (BENCHMARKS.md, "What made the difference": per-CPU tuning): a K block of
   * 256, 96 rows, and the unit split from 8 MiB of W_hh (W6's 16 MiB, not W2's 1 MiB).
   */
  public static final KernelTuning DEFAULTS = new KernelTuning(256, 96, 8L << 20);
  /** Never split by units. */
  public static final long NEVER = Long.MAX_VALUE;

  private static final int FORMAT = 1;
  private static volatile KernelTuning current = initial();

  public KernelTuning {
    if (kc < 16 || kc > 4096 || mc < 4 || mc > 4096 || mc % 4 != 0 || unitSplitWeightBytes < 0) {
      throw new IllegalArgumentException("kernel tuning out of range: kc " + kc + " (16..4096), mc " + mc
          + " (4..4096, a multiple of 4), unit split from " + unitSplitWeightBytes + " bytes (>= 0)");
    }
  }

  /** The choices in use. */
  public static KernelTuning current() {
    return current;
  }

  /** Uses these choices from now on (the tuner tries candidates with it); results do not change. */
  public static void use(KernelTuning tuning) {
    current = java.util.Objects.requireNonNull(tuning);
  }

  /** Where tuned choices are kept: {@code $XDG_CACHE_HOME/rnn4j} or {@code ~/.cache/rnn4j}. */
  public static Path cacheFile() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank()
        ? Paths.get(xdg)
        : Paths.get(System.getProperty("user.home"), ".cache");
    return base.resolve("rnn4j").resolve("kernel-tuning.properties");
  }

  /**
   * The CPU and JVM that tuned choices hold for: the CPU's model name, family, model and stepping, its
   * instruction-set flags, the vector width, and the JVM's name and version.
   */
  public static String machineKey() {
    return cpuDescription() + "; vector " + Vectorization.lanes() + " floats; "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version");
  }

  /** The choices stored in file for this machine's {@link #machineKey()}, or empty (none, another machine). */
  public static Optional<KernelTuning> load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    if (!String.valueOf(FORMAT).equals(p.getProperty("format")) || !machineKey().equals(p.getProperty("machine"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(new KernelTuning(Integer.parseInt(p.getProperty("kc", "")),
          Integer.parseInt(p.getProperty("mc", "")), Long.parseLong(p.getProperty("unit_split_weight_bytes", ""))));
    } catch (IllegalArgumentException e) { // includes NumberFormatException
      throw new IOException(file + ": not a kernel tuning file: " + e.getMessage(), e);
    }
  }

  /**
   * Writes these choices for this machine as the properties file {@link #load} reads. Callers write it
   * whole or not at all ({@code AtomicFiles.write(file, out -> tuning.writeTo(out, when))}), so that a
   * reader sees the old file or the new.
   */
  public void writeTo(OutputStream out, String measuredOn) throws IOException {
    Properties p = new Properties();
    p.setProperty("format", String.valueOf(FORMAT));
    p.setProperty("machine", machineKey());
    p.setProperty("kc", String.valueOf(kc));
    p.setProperty("mc", String.valueOf(mc));
    p.setProperty("unit_split_weight_bytes", String.valueOf(unitSplitWeightBytes));
    p.store(out, "rnn4j bench --tune, " + measuredOn);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "kc %d, mc %d, unit split from %s", kc, mc,
        unitSplitWeightBytes == NEVER ? "never" : unitSplitWeightBytes + " bytes of W_hh");
  }

  private static KernelTuning initial() {
    String setting = System.getProperty("rnn4j.tuning");
    if (setting != null && !setting.equals("off") && !setting.equals("on")) {
      throw new IllegalArgumentException("rnn4j.tuning must be on or off, got '" + setting + "'");
    }
    if ("off".equals(setting)) {
      return DEFAULTS;
    }
    try {
      return load(cacheFile()).orElse(DEFAULTS);
    } catch (IOException | RuntimeException e) {
      // A damaged cache must not stop a model from running: the defaults give the same results.
      System.err.println("rnn4j: ignoring " + cacheFile() + ": " + e.getMessage());
      return DEFAULTS;
    }
  }

  /** The CPU as /proc/cpuinfo describes its first processor, else what the JVM knows. */
  public static String cpuDescription() {
    Path cpuinfo = Paths.get("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      try {
        List<String> lines = Files.readAllLines(cpuinfo);
        String model = field(lines, "model name");
        String family = field(lines, "cpu family");
        String number = field(lines, "model");
        String stepping = field(lines, "stepping");
        String flags = field(lines, "flags");
        return model + " (family " + family + ", model " + number + ", stepping " + stepping + ", flags "
            + Integer.toHexString(flags.hashCode()) + ")";
      } catch (IOException | RuntimeException e) {
        // fall through to what the JVM knows
      }
    }
    String id = System.getenv("PROCESSOR_IDENTIFIER");
    return (id != null ? id : System.getProperty("os.arch")) + " (" + System.getProperty("os.name") + ")";
  }

  private static String field(List<String> lines, String name) {
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
        return line.substring(colon + 1).trim();
      }
      if (line.isBlank()) {
        break; // only the first processor
      }
    }
    return "?";
  }
}
