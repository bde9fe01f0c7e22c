package dev.benchmon.notebooks;

import dev.benchmon.support.RepositoryFiles;
import dev.benchmon.support.TempDirs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every code cell of every notebook, in order, through the JShell API the way IJava runs them
 * ({@link NotebookRunner}), in a fresh JVM with a temporary BENCHMON_HOME: a fresh machine after
 * the build.
 */
class NotebooksIT {
    static Stream<Path> notebooks() throws IOException {
        return NotebookFilesTest.notebooks().stream();
    }

    private static final Map<Path, Run> RUNS = new ConcurrentHashMap<>();

    /** One notebook's run: what it printed, its exit code, and processes it left behind. */
    record Run(ExternalProcess.Result result, List<String> orphans) {
    }

    /** Runs the notebook once per test JVM (each notebook on its own fresh home). */
    static Run run(Path notebook) {
        return RUNS.computeIfAbsent(notebook, nb -> {
            Path home = null;
            try {
                ExternalProcess.toolkitJar(); // fails clearly when the build has not made the jar
                home = Files.createTempDirectory("benchmon-notebook-home");
                ExternalProcess.Result result = ExternalProcess.run(List.of(ExternalProcess.jdkTool("java"),
                                "-cp", System.getProperty("java.class.path"), NotebookRunner.class.getName(),
                                nb.toAbsolutePath().toString()),
                        RepositoryFiles.resolve("notebooks"), Map.of("BENCHMON_HOME", home.toString()), null,
                        Duration.ofMinutes(6));
                return new Run(result, ExternalProcess.orphansKilled(home));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                TempDirs.deleteQuietly(home);
            }
        });
    }

    @ParameterizedTest(name = "{0} runs top to bottom")
    @MethodSource("notebooks")
    void everyCellRunsWithoutACompileErrorOrException(Path notebook) {
        ExternalProcess.Result run = run(notebook).result();

        assertThat(run.output()).as("notebook output").contains("[ok] ").doesNotContain("[failed]");
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @ParameterizedTest(name = "{0} stops its embedded PostgreSQL")
    @MethodSource("notebooks")
    void leavesNoProcessRunning(Path notebook) {
        assertThat(run(notebook).orphans()).as("processes left running in the temporary home").isEmpty();
    }

    @ParameterizedTest(name = "{0} shows tables as HTML and charts as Plotly")
    @MethodSource("notebooks")
    void tablesAndChartsAreDisplayedAsHtmlAfterPlotlyIsLoaded(Path notebook) {
        String out = run(notebook).result().output();

        assertThat(out).contains("[display text/html table ", "[display text/html chart ");
        assertThat(out.indexOf("[display text/html plotly-js ")).as(out).isNotNegative()
                .isLessThan(out.indexOf("[display text/html chart "));
    }
}
