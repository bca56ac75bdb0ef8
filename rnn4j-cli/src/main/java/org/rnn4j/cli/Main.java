package org.rnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.Rnn4j;
import org.rnn4j.runtime.Environment;
import org.rnn4j.text.DataException;
import org.rnn4j.train.NumericalFaultException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * Entry point of the {@code rnn4j} command. A mistake the user can make (a bad flag, a missing or
 * malformed file, a corrupt model) prints one line on stderr and exits non-zero; only a bug prints a
 * stack trace.
 */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Recurrent neural networks on the JVM: train, evaluate and serve RNN, LSTM and GRU models.",
    subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, InfoCommand.class,
        TrainLmCommand.class, EvalLmCommand.class, GenerateCommand.class, DemoCommand.class, BenchCommand.class,
        ServeCommand.class, ExportCommand.class, ImportCommand.class, SparkCommand.class,
        TrainSeq2SeqCommand.class, EvalSeq2SeqCommand.class, TranslateCommand.class})
public final class Main implements Runnable {
  /** Exit code of a usage error (bad flag or value). */
  static final int USAGE = 2;
  /** Exit code of a data, model or I/O problem. */
  static final int FAILED = 1;
  /** Exit code after Ctrl-C, as shells report it. */
  static final int INTERRUPTED = 130;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * --version: rnn4j's, then the runtime's, since the launcher may pick another JDK than the
   * java on PATH and a bug report needs to say which one ran.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      Map<String, Object> env = Environment.describe();
      return new String[] {"rnn4j " + Rnn4j.VERSION,
          "java " + env.get("java") + ", gemm " + env.get("gemm") + ", vector " + env.get("vector")
              + ", threads " + env.get("threads")};
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (used by tests). */
  public static int run(String... args) {
    try {
      Environment.checkSettings();
    } catch (IllegalArgumentException e) {
      System.err.println("rnn4j: error: " + oneLine(e.getMessage()));
      return USAGE;
    }
    CommandLine cl = new CommandLine(new Main());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionExceptionHandler((e, line, parsed) -> failure(e, line));
    return cl.execute(args);
  }

  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    PrintWriter err = cmd.getErr();
    err.println(name + ": " + oneLine(e.getMessage()) + " (see '" + name + " --help')");
    err.flush();
    return USAGE;
  }

  private static int failure(Exception e, CommandLine line) {
    String name = line.getCommandSpec().qualifiedName();
    PrintWriter err = line.getErr();
    Throwable t = e instanceof UncheckedIOException ? e.getCause() : e;
    String message;
    int code = FAILED;
    if (t instanceof UsageException) {
      message = t.getMessage();
      code = USAGE;
    } else if (t instanceof InvalidSettingException s) {
      message = s.message(Main::flag);
      code = USAGE;
    } else if (t instanceof IllegalArgumentException) {
      message = t.getMessage();
      code = USAGE;
    } else if (t instanceof NoSuchFileException) {
      NoSuchFileException n = (NoSuchFileException) t;
      message = n.getFile() + ": " + (n.getReason() == null ? "no such file" : n.getReason());
    } else if (t instanceof AccessDeniedException) {
      message = ((AccessDeniedException) t).getFile() + ": permission denied";
    } else if (t instanceof DataException d) {
      message = d.message(Main::flag);
    } else if (t instanceof IOException) {
      message = t.getMessage();
    } else if (t instanceof NumericalFaultException n) {
      message = n.message(Main::flag);
    } else if (t instanceof OutOfMemoryError) {
      message = "out of memory (raise the heap with RNN4J_JAVA_OPTS=-Xmx8g, or lower --batch)";
    } else {
      err.println(name + ": internal error, please report it with the stack trace below");
      t.printStackTrace(err);
      err.flush();
      return 70;
    }
    err.println(name + ": error: " + oneLine(message));
    err.flush();
    return code;
  }

  /**
   * The flag of a Java API setting: the builder setter's name in kebab case ({@code validFraction}
   * is {@code --valid-fraction}), as every command names its flags.
   */
  static String flag(String setting) {
    return "--" + setting.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  static String oneLine(String s) {
    return s == null ? "unknown error" : s.replace('\n', ' ').trim();
  }
}
