package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code rnn4j} launcher's choice of JVM, seen through {@code RNN4J_DRY_RUN}, which prints the
 * command instead of building and running it. The JDKs are fakes: a release file and a bin/java.
 */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("..", "rnn4j").toAbsolutePath().normalize();
  private static final String VECTOR_MODULES = "java.base jdk.incubator.vector jdk.jfr";

  @TempDir
  Path dir;

  @Test
  void pickJava_javaHomeSet_usesItEvenWhenOld() throws Exception {
    Path jdk17 = fakeJdk("jdk17", "17.0.15", VECTOR_MODULES);
    fakeJdk("jdk25", "25.0.3", VECTOR_MODULES);
    assertEquals(java(jdk17), chosen(jdk17, Map.of("JAVA_HOME", jdk17.toString())));
  }

  @Test
  void pickJava_pathJdk17_picksNewestInstalledJdk() throws Exception {
    Path jdk17 = fakeJdk("jdk17", "17.0.15", VECTOR_MODULES);
    Path jdk25 = fakeJdk("temurin-25", "25.0.3", VECTOR_MODULES);
    fakeJdk("zulu-21", "21.0.7", VECTOR_MODULES); // listed last: the newest wins, not the last
    assertEquals(java(jdk25), chosen(jdk17, Map.of()));
  }

  @Test
  void pickJava_newerJdkWithoutVectorModule_keepsPathJava() throws Exception {
    Path jdk17 = fakeJdk("jdk17", "17.0.15", VECTOR_MODULES);
    fakeJdk("jre25", "25.0.3", "java.base java.logging");
    assertEquals(java(jdk17), chosen(jdk17, Map.of()));
  }

  @Test
  void pickJava_pathJdk21_keepsIt() throws Exception {
    Path jdk21 = fakeJdk("jdk21", "21.0.7", VECTOR_MODULES);
    fakeJdk("jdk25", "25.0.3", VECTOR_MODULES);
    assertEquals(java(jdk21), chosen(jdk21, Map.of()));
  }

  @Test
  void pickJava_pathJavaWithoutReleaseFile_keepsIt() throws Exception {
    Path unknown = fakeJdk("unknown", null, null);
    fakeJdk("jdk25", "25.0.3", VECTOR_MODULES);
    assertEquals(java(unknown), chosen(unknown, Map.of()));
  }

  @Test
  void dryRun_printsFlagsJarAndArguments() throws Exception {
    Path jdk25 = fakeJdk("jdk25", "25.0.3", VECTOR_MODULES);
    List<String> command = run(jdk25, Map.of("RNN4J_JAVA_OPTS", "-Xmx3g"), "predict", "a headline");
    assertEquals(java(jdk25), command.get(0));
    assertTrue(command.containsAll(List.of("--add-modules", "jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-Xmx3g")), command.toString());
    // RNN4J_JAVA_OPTS come after the launcher's own, so that they win.
    assertTrue(command.indexOf("-Xmx3g") > command.indexOf("-Xmx1g"), command.toString());
    assertEquals(List.of("-jar", LAUNCHER.resolveSibling("rnn4j-cli/target/rnn4j.jar").toString(),
        "predict", "a headline"), command.subList(command.size() - 4, command.size()));
  }

  @Test
  void launch_noJavaAnywhere_isOneLineError() throws Exception {
    // A PATH with the tools the launcher uses but no java, and no JDK to find.
    Path bin = Files.createDirectories(dir.resolve("tools-only"));
    for (String tool : List.of("readlink", "dirname", "sed", "grep", "head", "find", "tput")) {
      Path target = Path.of("/usr/bin", tool);
      if (Files.exists(target)) {
        Files.createSymbolicLink(bin.resolve(tool), target);
      }
    }
    Launch l = launch(bin.toString(), Map.of("RNN4J_JDK_DIRS", dir.resolve("none").toString()), "demo");
    assertEquals(1, l.code(), l.toString());
    assertEquals("", l.out());
    assertEquals(List.of("rnn4j: no java found: install a JDK 17 or newer, or set JAVA_HOME (see README.md)"),
        l.err().lines().toList());
  }

  /** The JVM the launcher picks with {@code pathJdk}'s java first on PATH and the fakes installed. */
  private String chosen(Path pathJdk, Map<String, String> env) throws Exception {
    return run(pathJdk, env, "demo").get(0);
  }

  /** The dry run's command line, with {@code pathJdk}'s java first on PATH and the fakes installed. */
  private List<String> run(Path pathJdk, Map<String, String> env, String... args) throws Exception {
    Map<String, String> e = new HashMap<>();
    e.put("RNN4J_DRY_RUN", "1");
    try (var installed = Files.list(dir)) {
      e.put("RNN4J_JDK_DIRS", String.join(" ", installed.map(Path::toString).sorted().toList()));
    }
    e.putAll(env);
    Launch l = launch(pathJdk.resolve("bin") + ":/usr/bin:/bin", e, args);
    assertEquals(0, l.code(), l.toString());
    return l.out().lines().toList();
  }

  /** Exit code, stdout and stderr of one run of the launcher. */
  private record Launch(int code, String out, String err) {}

  /** Runs the launcher with this PATH and env on top of the test's own, less any JVM it names. */
  private static Launch launch(String path, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/bin/bash", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> e = pb.environment();
    e.remove("JAVA_HOME");
    e.remove("RNN4J_JAVA_OPTS");
    e.remove("RNN4J_DRY_RUN");
    e.put("PATH", path);
    e.putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), err);
    return new Launch(p.exitValue(), out, err);
  }

  /** A JDK home with a release file (none when version is null) and an executable bin/java. */
  private Path fakeJdk(String name, String version, String modules) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (version != null) {
      Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n"
          + "MODULES=\"" + modules + "\"\n");
    }
    return home;
  }

  private static String java(Path home) {
    return home.resolve("bin/java").toString();
  }
}
