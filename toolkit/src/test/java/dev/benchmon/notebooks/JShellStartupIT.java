package dev.benchmon.notebooks;

import dev.benchmon.support.RepositoryFiles;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A real {@code jshell} started the documented way on a database given by BENCHMON_DB_URL. */
class JShellStartupIT {
    private static ExternalProcess.Result jshell(Path dir, String dbUrl, String input) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("BENCHMON_HOME", dir.resolve("home").toString(),
                "BENCHMON_DB_URL", dbUrl, "BENCHMON_DB_USER", TestDatabases.user()));
        if (TestDatabases.password() != null) {
            env.put("BENCHMON_DB_PASSWORD", TestDatabases.password());
        }
        return ExternalProcess.run(List.of(ExternalProcess.jdkTool("jshell"),
                        "--class-path", ExternalProcess.toolkitJar().toString(),
                        "--startup", "DEFAULT", "--startup", RepositoryFiles.resolve("notebooks/benchmon.jsh").toString(),
                        "--feedback", "benchmon"),
                dir, env, input, Duration.ofMinutes(3));
    }

    @Test
    void aDatabaseThatCannotOpenIsOneErrorLineAndAHintNotAStackTrace(@TempDir Path dir) throws Exception {
        String missing = TestDatabases.withDatabase(TestDatabases.adminUrl(), "bm_no_such_db_" + ProcessHandle.current().pid());

        ExternalProcess.Result session = jshell(dir, missing, "help()\n/exit\n");

        String out = session.output();
        assertThat(out).containsOnlyOnce("benchmon: cannot open bm: cannot connect to PostgreSQL at ")
                .contains("does not exist; create that database")
                .contains("var bm = Benchmon.open()")
                .doesNotContain("benchmon ready", "bm = null", "is open on null", "\tat ", "|        at ",
                        "PoolInitializationException", "PSQLException", "Exception");
        assertThat(session.exitCode()).as(out).isZero();
    }

    @Test
    void theToolkitLinesOfTheAlertsDocCompile(@TempDir Path dir) throws Exception {
        Matcher m = Pattern.compile("## Toolkit\\n+```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(RepositoryFiles.resolve("docs/ALERTS.md")));
        assertThat(m.find()).as("docs/ALERTS.md has a Toolkit block").isTrue();
        String lines = m.group(1);
        assertThat(lines).contains("AlertFilter.states(AlertState.OPEN)", "AlertState.EXPECTED");

        ExternalProcess.Result session = jshell(dir, TestDatabases.freshMigratedDatabaseUrl(),
                lines + "System.out.println(\"open alerts: \" + open.rowCount());\n/exit\n");

        String out = session.output();
        assertThat(out).contains("benchmon ready: bm = Benchmon[", "open alerts: 0")
                .doesNotContain("|  Error:", "cannot find symbol");
    }

    /** The lines help() shows under {@code label}, without the label: each runs as it stands. */
    private static String helpLines(String label) throws Exception {
        List<String> lines = Files.readAllLines(RepositoryFiles.resolve("notebooks/benchmon.jsh"));
        StringBuilder out = new StringBuilder();
        boolean in = false;
        for (String line : lines) {
            if (line.startsWith("        " + label + " ")) {
                in = true;
            } else if (in && !line.startsWith("                   ")) {
                break;
            }
            if (in) {
                out.append(line.substring("        ".length() + label.length()).strip()).append('\n');
            }
        }
        assertThat(out).as("help() has a '" + label + "' entry").isNotEmpty();
        return out.toString();
    }

    /**
     * JShell lines that record the two results with per-example outcomes help()'s paired example compares: help() only
     * reads, so a session pushes them first, as a user pushes results with examples.
     */
    static final String PAIRED_RESULTS = """
            bm.record(BenchmarkResult.builder("qa-base", "qa-v1").metric("accuracy", 0.5).example("q1", 1).example("q2", 0).example("q3", 1).example("q4", 0).build())
            bm.record(BenchmarkResult.builder("qa-tuned", "qa-v1").metric("accuracy", 0.75).example("q1", 1).example("q2", 1).example("q3", 1).example("q4", 0).build())
            """;

    @Test
    void helpsPairedExampleComparesItemByItemWithAnInterval(@TempDir Path dir) throws Exception {
        String paired = helpLines("paired");
        assertThat(paired).contains("bm.comparison(", "RunComparison");

        assertThat(paired).doesNotContain("record(");
        ExternalProcess.Result session = jshell(dir, TestDatabases.freshMigratedDatabaseUrl(), PAIRED_RESULTS + paired
                + "System.out.println(\"method=\" + c.summary().stringColumn(\"method\").get(0) + \" ci=\" "
                + "+ !c.summary().column(\"ci_low\").isMissing(0))\n/exit\n");

        String out = session.output();
        assertThat(out).contains("method=paired_bootstrap+mcnemar_exact ci=true")
                .doesNotContain("|  Error:", "cannot find symbol");
    }

    @Test
    void theReadmesComparisonCallsResolveInTheSession(@TempDir Path dir) throws Exception {
        String readme = Files.readString(RepositoryFiles.resolve("README.md"));
        assertThat(readme).contains("`bm.comparison(runA, runB, options)`",
                "`bm.compareModels(filter, CompareOptions.defaults().withReference(\"m\"))`");
        String lines = """
                long runA = bm.record(BenchmarkResult.builder("m", "d").metric("accuracy", 0.5).example("q1", 1).build()).transactionId()
                long runB = bm.record(BenchmarkResult.builder("m2", "d").metric("accuracy", 0.5).example("q1", 0).build()).transactionId()
                var options = CompareOptions.defaults()
                RunComparison rc = bm.comparison(runA, runB, options)
                var filter = Filter.models(List.of("m", "m2"))
                System.out.println("rows=" + bm.compareModels(filter, CompareOptions.defaults().withReference("m")).rowCount() + " flips=" + rc.flips().rowCount())
                /exit
                """;

        ExternalProcess.Result session = jshell(dir, TestDatabases.freshMigratedDatabaseUrl(), lines);

        String out = session.output();
        assertThat(out).contains("rows=4 flips=1") // a row per model and metric (accuracy, examples_mean)
                .doesNotContain("|  Error:", "cannot find symbol");
    }
}
