package dev.benchmon.notebooks;

import dev.benchmon.support.RepositoryFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@code jshell} started the documented way (the -all jar, DEFAULT and benchmon.jsh
 * startups), fed a session on stdin as a user would type it, on an embedded database in a
 * temporary BENCHMON_HOME.
 */
class JShellSessionIT {
    private static final String SESSION = """
            help()
            var stored = bm.recordFile(Path.of("samples/sample_benchmark_results.json"))
            System.out.println("RECORDED " + stored)
            System.out.println("DEMO " + bm.recordFile(Path.of("samples/demo_history.jsonl")).size())
            System.out.println(bm.latestSnapshots(Filter.environment("local")).print())
            System.out.println(bm.history(Filter.model("medgemma-v1.2").withEnvironments("local")).print())
            System.out.println(bm.timeSeries("medgemma-v1.2", "f1", Duration.ofDays(7)).print())
            var may = Filter.models(List.of("medgemma-v1.2", "medgemma-v1.3")).withSince(Instant.parse("2026-05-01T00:00:00Z")).withUntil(Instant.parse("2026-06-01T00:00:00Z"))
            System.out.println(bm.compareModels(may.withEnvironments("production")).print())
            System.out.println(bm.detectRegressions("medgemma-v1.3", 0.05).print())
            bm.regressions(Filter.model("medgemma-v1.3").withEnvironments("production"), RegressionOptions.defaults().withOnlyRegressions(true)).forEach(System.out::println)
            /exit
            """;

    private static ExternalProcess.Result session;
    private static List<String> orphans;

    @BeforeAll
    static void runTheSession(@TempDir Path home) throws Exception {
        Path root = RepositoryFiles.root();
        session = ExternalProcess.run(List.of(ExternalProcess.jdkTool("jshell"),
                        "--class-path", ExternalProcess.toolkitJar().toString(),
                        "--startup", "DEFAULT", "--startup", "notebooks/benchmon.jsh"),
                root, Map.of("BENCHMON_HOME", home.toString()), SESSION, Duration.ofMinutes(5));
        orphans = ExternalProcess.orphansKilled(home);
    }

    @Test
    void theSessionStartsWithBmOpenOnTheEmbeddedDatabaseInTheGivenHome() {
        assertThat(session.output()).contains("benchmon ready: bm = Benchmon[", "embedded PostgreSQL");
    }

    @Test
    void helpListsTheMainCalls() {
        assertThat(session.output()).contains("bm.recordFile(", "bm.latestSnapshots(", "bm.timeSeries(",
                "bm.compareModels(", "bm.detectRegressions(");
    }

    @Test
    void theSampleIsRecordedAndShowsInTheLatestSnapshot() {
        assertThat(session.output()).contains("RECORDED [#0 -> transaction", "(stored)]", "DEMO 2160");
        assertThat(session.output()).containsPattern(
                "medgemma-v1\\.2\\s+\\|\\s+benchmark-set-v3\\s+\\|\\s+analysis-v4\\s+\\|\\s+local\\s+\\|\\s+google");
    }

    @Test
    void historyAndTimeSeriesShowTheRecordedF1() {
        assertThat(session.output()).contains("0.895");
        assertThat(session.output()).containsPattern("f1 .*over|over .*f1|\\|\\s+f1\\s+\\|");
    }

    @Test
    void theComparisonPutsBothModelsSideBySide() {
        assertThat(session.output()).contains("model comparison", "diff_to_first")
                .containsPattern("medgemma-v1\\.3\\s+\\|\\s+recall");
    }

    @Test
    void theRegressionInTheDemoHistoryIsFound() {
        assertThat(session.output()).containsPattern(
                "medgemma-v1\\.3 / benchmark-set-v3 / analysis-v5 @production recall: .* REGRESSION");
    }

    @Test
    void noSnippetFailedToCompileOrThrew() {
        assertThat(session.output()).doesNotContain("|  Error:", "|  Exception", "Exception in thread");
        assertThat(session.exitCode()).as(session.output()).isZero();
    }

    @Test
    void theEmbeddedPostgresStopsWhenJShellExits() {
        assertThat(orphans).as("processes left running in the temporary home").isEmpty();
    }
}
