package dev.benchmon.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code benchmon jshell}: listed and described here, run by the launcher script {@code ./benchmon}, which reads its
 * database options and starts {@code jshell} itself before any Java of benchmon runs. So {@code benchmon --help} lists
 * it and {@code benchmon help jshell} says what it does; reached here (the jar run with {@code java -jar}), it says how
 * to start it instead of calling it an unknown command.
 */
@Command(name = "jshell", mixinStandardHelpOptions = true,
        customSynopsis = "benchmon jshell [--home DIR | --db JDBC_URL] [JSHELL_OPTION...]",
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.INVALID_OPTION_HELP, ExitCodes.FAILURE_HELP},
        description = {"A JShell session with the toolkit loaded and bm open on the database (type help() there).",
                "Started by the launcher script, ./benchmon jshell, which runs jshell itself (JShell's own options, "
                        + "after the database option, go to it: ./benchmon jshell --help lists them).",
                "Without the launcher: jshell --class-path toolkit/target/benchmon-toolkit-VERSION-all.jar --startup "
                        + "DEFAULT --startup notebooks/benchmon.jsh --feedback benchmon."})
final class JshellCommand implements Callable<Integer> {
    /** What the command says when it is run by this jar, not by the launcher: where to run it from. */
    static final String LAUNCHER_ONLY = "benchmon jshell is started by the launcher script: run ./benchmon jshell "
            + "[--home DIR | --db JDBC_URL] from the project's folder (this jar does not start jshell; see benchmon "
            + "help jshell)";

    @Option(names = "--home", paramLabel = "DIR",
            description = "The embedded database in DIR, as the other commands take it (sets BENCHMON_HOME).")
    String home;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "A PostgreSQL database, as the other commands take it (sets BENCHMON_DB_URL).")
    String db;

    /** JShell's own options, which the launcher passes on. */
    @Unmatched
    List<String> jshellOptions;

    @Override
    public Integer call() {
        throw new CliException(ExitCodes.INVALID_INPUT, LAUNCHER_ONLY);
    }
}
