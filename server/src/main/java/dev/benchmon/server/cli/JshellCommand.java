package dev.benchmon.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code benchmon jshell}: the JDK's {@code jshell} with benchmon's classes on its class path, the startup script
 * {@code notebooks/benchmon.jsh} (kept in the jar) and {@code bm} open on the database of {@code --home} or {@code --db}.
 * Started as a child process that shares this terminal: JShell runs the user's code in a JVM of its own anyway, and
 * the child's environment is where the startup script's {@code Benchmon.open()} reads the database option from
 * ({@code BENCHMON_HOME}, {@code BENCHMON_DB_URL}). The launcher script {@code ./benchmon jshell} starts {@code jshell}
 * itself (with a class-data archive for a faster start) and never reaches this class; {@code java -jar benchmon.jar
 * jshell} does.
 */
@Command(name = "jshell", mixinStandardHelpOptions = true,
        customSynopsis = "benchmon jshell [--home DIR | --db JDBC_URL] [JSHELL_OPTION...]",
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.INVALID_OPTION_HELP, ExitCodes.FAILURE_HELP},
        description = {"A JShell session with the toolkit loaded and bm open on the database (type help() there).",
                "Runs the JDK's jshell; JShell's own options, after the database option, go to it (jshell --help lists "
                        + "them); its exit code is jshell's.",
                "By hand: jshell --class-path toolkit/target/benchmon-toolkit-VERSION-all.jar --startup "
                        + "DEFAULT --startup notebooks/benchmon.jsh --feedback benchmon."})
final class JshellCommand implements Callable<Integer> {
    /** Where the startup script is in the jar (the toolkit's build copies notebooks/benchmon.jsh there). */
    static final String STARTUP_RESOURCE = "/dev/benchmon/notebook/benchmon.jsh";

    @Option(names = "--home", paramLabel = "DIR",
            description = "The embedded database in DIR, as the other commands take it (sets BENCHMON_HOME).")
    String home;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "A PostgreSQL database, as the other commands take it (sets BENCHMON_DB_URL).")
    String db;

    /** JShell's own options, passed on. */
    @Unmatched
    List<String> jshellOptions;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (home != null && db != null) {
            throw new CliException(ExitCodes.INVALID_INPUT, "give one of --home and --db, not both");
        }
        Path jshell = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name", "").startsWith("Windows") ? "jshell.exe" : "jshell");
        if (!Files.isExecutable(jshell)) {
            throw new CliException(ExitCodes.FAILURE, "this Java (" + System.getProperty("java.home") + ") has no "
                    + "jshell: run benchmon with a JDK 17 or newer, not a JRE");
        }
        Path startup = Files.createTempFile("benchmon-", ".jsh");
        try {
            try (InputStream script = JshellCommand.class.getResourceAsStream(STARTUP_RESOURCE)) {
                if (script == null) {
                    throw new CliException(ExitCodes.FAILURE, "this benchmon has no startup script (" + STARTUP_RESOURCE
                            + " is not in its jar): rebuild it (./mvnw -pl server -am package -DskipTests)");
                }
                Files.copy(script, startup, StandardCopyOption.REPLACE_EXISTING);
            }
            // As the launcher starts it: C1 only and the serial collector for the tool's own JVM (javac's warm-up is
            // spent in the C2 compiler); the user's code runs in JShell's second JVM with the JDK's defaults.
            List<String> command = new ArrayList<>(List.of(jshell.toString(), "-J-XX:TieredStopAtLevel=1",
                    "-J-XX:+UseSerialGC", "--class-path", System.getProperty("java.class.path"), "--startup", "DEFAULT",
                    "--startup", startup.toString(), "--feedback", "benchmon"));
            if (jshellOptions != null) {
                command.addAll(jshellOptions);
            }
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            if (home != null || db != null) {
                // The database named here, not a replica of another one the environment names.
                builder.environment().remove("BENCHMON_DB_READ_URL");
                builder.environment().remove("BENCHMON_DB_READ_USER");
                builder.environment().remove("BENCHMON_DB_READ_PASSWORD");
            }
            if (home != null) {
                builder.environment().put("BENCHMON_HOME", home);
                builder.environment().remove("BENCHMON_DB_URL");
            } else if (db != null) {
                builder.environment().put("BENCHMON_DB_URL", db);
            }
            try {
                // Ctrl-C reaches both processes: JShell stops the running snippet; this one must not exit under it.
                sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> { });
            } catch (IllegalArgumentException e) {
                // signals left to the JVM (-Xrs): Ctrl-C ends both, as it would any command
            }
            Process session = builder.start();
            // Stopped otherwise (SIGTERM, a supervisor): the session, its JVM and its database go too, and the script.
            Thread stop = new Thread(() -> {
                session.descendants().forEach(ProcessHandle::destroy);
                session.destroy();
                try {
                    Files.deleteIfExists(startup);
                } catch (IOException e) {
                    // a temporary file; the system's cleaning takes it
                }
            }, "benchmon-jshell-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            int code = session.waitFor();
            Runtime.getRuntime().removeShutdownHook(stop);
            return code;
        } finally {
            Files.deleteIfExists(startup);
        }
    }
}
