package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.UnknownNameException;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code bm.changePoints(filter)}: the shifts the detection engine found, as a table a notebook reads. One database of
 * two series pushed run by run as CI pushes them: model {@code m} whose f1 drops from 0.90 to 0.80 at run 20 and whose
 * latency_ms falls from 200 to 150 at run 26; model {@code q} whose {@code reward} (no direction) rises at run 20.
 */
class ChangePointsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static Benchmon bm;

    @BeforeAll
    static void pushRuns() {
        bm = TestDatabases.fresh();
        Random noise = new Random(5);
        for (int i = 0; i < 40; i++) {
            Instant at = T0.plusSeconds(i * 3600L);
            bm.recordJudged(List.of(
                    BenchmarkResult.builder("m", "d").environment("ci").runAt(at).runId("m-" + i).commitSha("c" + i)
                            .metric("f1", (i < 20 ? 0.90 : 0.80) + 0.004 * noise.nextGaussian())
                            .metric("latency_ms", (i < 26 ? 200 : 150) + 2 * noise.nextGaussian()).build(),
                    BenchmarkResult.builder("q", "d").environment("ci").runAt(at).runId("q-" + i)
                            .metric("reward", (i < 20 ? 10 : 14) + 0.1 * noise.nextGaussian()).build()),
                    java.util.Map.of(), DetectionOverrides.NONE);
        }
    }

    @AfterAll
    static void close() {
        bm.close();
    }

    @Test
    void a_drop_of_a_score_is_listed_as_a_regression_with_its_size_its_noise_and_its_commits() {
        Table f1 = bm.changePoints(Filter.model("m").withMetrics("f1"));

        assertThat(f1.rowCount()).isEqualTo(1);
        assertThat(f1.stringColumn("metric").get(0)).isEqualTo("f1");
        assertThat(f1.stringColumn("outcome").get(0)).isEqualTo("regression");
        assertThat(f1.instantColumn("run_at").get(0)).isEqualTo(T0.plusSeconds(20 * 3600L));
        assertThat(f1.doubleColumn("level_before").get(0)).isBetween(0.895, 0.905);
        assertThat(f1.doubleColumn("level_after").get(0)).isBetween(0.795, 0.805);
        assertThat(f1.stringColumn("change").get(0)).matches("-(9\\.[5-9]|10\\.[0-4]) points");
        assertThat(f1.doubleColumn("shift_sd").get(0)).isGreaterThan(10);
        assertThat(f1.stringColumn("commit_range").get(0)).isEqualTo("c19..c20");
    }

    @Test
    void a_fall_of_a_latency_is_an_improvement_and_the_newest_shift_comes_first() {
        Table m = bm.changePoints(Filter.model("m"));

        assertThat(m.stringColumn("metric").asList()).containsExactly("latency_ms", "f1");
        assertThat(m.stringColumn("outcome").asList()).containsExactly("improvement", "regression");
        assertThat(m.stringColumn("change").get(0)).matches("-(49|50)\\.[0-9] \\(-2[45]\\.[0-9]%\\)");
    }

    @Test
    void a_shift_of_a_metric_without_a_direction_is_a_change() {
        Table q = bm.changePoints(Filter.model("q"));

        assertThat(q.stringColumn("outcome").asList()).containsExactly("change");
        assertThat(q.longColumn("transaction_id").get(0)).isPositive();
    }

    @Test
    void a_table_cut_at_its_limit_says_so_in_its_name() {
        assertThat(bm.changePoints(Filter.all()).name()).isEqualTo("change points");

        Table newest = bm.changePoints(Filter.all().withLimit(1));

        assertThat(newest.rowCount()).isEqualTo(1);
        assertThat(newest.name()).startsWith("change points: the newest 1 (the limit); older ones match too");
    }

    @Test
    void the_table_prints_readably_where_a_notebook_or_jshell_shows_it() {
        String printed = bm.changePoints(Filter.model("m")).toString();

        assertThat(printed).contains("change points  (2 rows x 14 columns)", "latency_ms", "improvement")
                .doesNotContainPattern("\\d\\.\\d{8,}");
    }

    @Test
    void a_window_that_ends_before_the_shifts_holds_none() {
        assertThat(bm.changePoints(Filter.all().withUntil(T0.plusSeconds(19 * 3600L))).rowCount()).isZero();
    }

    @Test
    void a_model_the_database_does_not_hold_is_refused_by_name() {
        assertThatThrownBy(() -> bm.changePoints(Filter.model("nope")))
                .isInstanceOf(UnknownNameException.class).hasMessageContaining("nope");
    }
}
