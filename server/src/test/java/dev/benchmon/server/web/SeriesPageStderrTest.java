package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The series and run pages show a result's standard error beside its value, as lm-evaluation-harness reports
 * {@code acc_stderr}. On the shared page fixture, a series of its own (model {@code stderr-model}, environment
 * {@code stderr}): one run with acc 0.491 (stderr 0.0137) and f1 0.52 without a stderr.
 */
class SeriesPageStderrTest {
    private static final String MODEL = "stderr-model";
    private static final Series SERIES = Series.record(DashboardFixture.shared());
    private final DashboardFixture f = DashboardFixture.shared();

    /** The series id and the run's transaction id, recorded once for the class. */
    private record Series(int id, long run) {
        static Series record(DashboardFixture f) {
            long run = f.benchmon.record(BenchmarkResult.builder(MODEL, "known-set").environment("stderr")
                    .runAt(Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES))
                    .metric("acc", 0.491).stderr("acc", 0.0137).metric("f1", 0.52).build()).transactionId();
            return new Series(f.benchmon.jdbi().withHandle(h -> h.createQuery("SELECT id FROM series WHERE model_version = :m")
                    .bind("m", MODEL).mapTo(Integer.class).one()), run);
        }
    }

    /** The runs table's cell of {@code metric} in its only run. */
    private String seriesCell(String metric) {
        List<List<String>> rows = Html.table(f.get("/series/" + SERIES.id()).body(), "series-runs");
        return rows.get(1).get(rows.get(0).indexOf(metric));
    }

    @Test
    void a_value_with_a_stderr_shows_it_to_two_significant_digits() {
        assertThat(seriesCell("acc")).isEqualTo("0.491 ± 0.014");
    }

    @Test
    void a_value_without_a_stderr_shows_the_value_alone() {
        assertThat(seriesCell("f1")).isEqualTo("0.52");
    }

    @Test
    void the_run_page_shows_the_stderr_beside_the_value_too() {
        List<List<String>> rows = Html.table(f.get("/runs/" + SERIES.run()).body(), "run-metrics");

        assertThat(rows).anySatisfy(r -> assertThat(r.subList(0, 2)).containsExactly("acc", "0.491 ± 0.014"));
    }
}
