package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshot holds its latest run's standard errors (V40), kept where its metrics are: a newer push replaces them,
 * an older late arrival does not, an exclusion moves them back to the newest run that counts and an inclusion forward
 * again. The toolkit's snapshot table reads them from there ({@code acc_stderr}), not from the log. Each test has a
 * model of its own.
 */
class SnapshotStderrTest {
    @AutoClose
    private static Benchmon bm;
    private static final Instant T = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
    }

    /** Records a run of {@code model} on "arc" in ci, {@code hours} after T, with acc and (when not null) its stderr. */
    private static long run(String model, int hours, double acc, Double stderr) {
        BenchmarkResult.Builder b = BenchmarkResult.builder(model, "arc").environment("ci")
                .runAt(T.plus(hours, ChronoUnit.HOURS)).metric("acc", acc);
        if (stderr != null) {
            b.stderr("acc", stderr);
        }
        return bm.record(b.build()).transactionId();
    }

    /** The stored snapshot's stderr of {@code model}, as JSON text. */
    private static String storedStderr(String model) {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT stderr::text FROM benchmark_snapshots WHERE model_version = :m")
                .bind("m", model).mapTo(String.class).one());
    }

    private static double accStderr(String model) {
        Table t = bm.latestSnapshots(Filter.model(model));
        assertThat(t.rowCount()).isEqualTo(1);
        return t.doubleColumn("acc_stderr").get(0);
    }

    @Test
    void a_newer_push_replaces_the_snapshots_stderr() {
        run("pushed", 0, 0.5, 0.02);
        run("pushed", 1, 0.6, 0.01);

        assertThat(storedStderr("pushed")).isEqualTo("{\"acc\": 0.01}");
        assertThat(accStderr("pushed")).isEqualTo(0.01);
    }

    @Test
    void a_newer_push_without_stderr_leaves_the_snapshot_none_of_the_older_runs() {
        run("dropped", 0, 0.5, 0.02);
        run("dropped", 1, 0.6, null);

        assertThat(storedStderr("dropped")).isNull();
        assertThat(bm.latestSnapshots(Filter.model("dropped")).columnNames()).contains("acc").doesNotContain("acc_stderr");
    }

    @Test
    void an_older_late_arrival_leaves_the_latest_runs_stderr() {
        run("late", 2, 0.6, 0.01);
        run("late", 0, 0.5, 0.05);

        assertThat(accStderr("late")).isEqualTo(0.01);
    }

    @Test
    void excluding_the_latest_run_shows_the_previous_runs_stderr_and_including_it_again_its_own() {
        run("judged", 0, 0.5, 0.02);
        long latest = run("judged", 1, 0.6, 0.01);

        bm.annotations().exclude(latest, "flaky GPU node", "ana");
        assertThat(storedStderr("judged")).isEqualTo("{\"acc\": 0.02}");
        assertThat(accStderr("judged")).isEqualTo(0.02);

        bm.annotations().annotate(latest, "included", "the GPU was fine after all", "ana");
        assertThat(accStderr("judged")).isEqualTo(0.01);
    }

    @Test
    void the_table_reads_the_snapshots_own_stderr_even_when_its_runs_month_is_detached_from_the_log() {
        bm.record(BenchmarkResult.builder("detached", "arc").environment("ci").runAt(Instant.parse("2021-07-05T00:00:00Z"))
                .metric("acc", 0.5).stderr("acc", 0.03).build());
        bm.jdbi().useHandle(h -> h.execute("ALTER TABLE benchmark_log DETACH PARTITION benchmark_log_y2021m07"));

        assertThat(accStderr("detached")).isEqualTo(0.03);
    }
}
