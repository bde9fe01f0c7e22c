package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The series page's CSV download ({@code /series/{id}/runs.csv}) carries each run's standard errors: one column per
 * metric any run gave one for, {@code stderr:METRIC}, after the metric values (the columns before keep their places).
 * On the shared page fixture, series of their own (model {@code stderr-csv-model}): in environment {@code stderr-csv},
 * an older run with acc 0.47 (stderr 0.015) and f1 0.5 (none), and a newer with acc 0.49 without stderr and f1 0.52;
 * in {@code stderr-csv-twin}, one run with acc 0.6 (stderr 0.02), a metric really named acc_stderr, 0.3, and one
 * named stderr:acc, 0.1.
 */
class SeriesCsvStderrTest {
    private static final String MODEL = "stderr-csv-model";
    private static final Instant AT = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MINUTES);
    private static final Series SERIES = Series.record(DashboardFixture.shared());
    private final DashboardFixture f = DashboardFixture.shared();

    /** The two series' ids, recorded once for the class. */
    private record Series(int plain, int twin) {
        static Series record(DashboardFixture f) {
            f.benchmon.recordAll(List.of(
                    BenchmarkResult.builder(MODEL, "arc").environment("stderr-csv").runAt(AT).runId("older")
                            .metric("acc", 0.47).stderr("acc", 0.015).metric("f1", 0.5).build(),
                    BenchmarkResult.builder(MODEL, "arc").environment("stderr-csv").runAt(AT.plus(Duration.ofHours(1)))
                            .runId("newer").metric("acc", 0.49).metric("f1", 0.52).build(),
                    BenchmarkResult.builder(MODEL, "arc").environment("stderr-csv-twin").runAt(AT).metric("acc", 0.6)
                            .stderr("acc", 0.02).metric("acc_stderr", 0.3).metric("stderr:acc", 0.1).build()));
            return new Series(id(f, "stderr-csv"), id(f, "stderr-csv-twin"));
        }

        private static int id(DashboardFixture f, String environment) {
            return f.benchmon.jdbi().withHandle(h -> h.createQuery(
                    "SELECT id FROM series WHERE model_version = :m AND environment = :e")
                    .bind("m", MODEL).bind("e", environment).mapTo(Integer.class).one());
        }
    }

    private List<String> csvLines(int series) {
        HttpResponse<String> r = f.get("/series/" + series + "/runs.csv");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        return r.body().lines().toList();
    }

    @Test
    void each_runs_stderr_is_a_column_after_the_metric_values_and_empty_where_the_run_gave_none() {
        List<String> lines = csvLines(SERIES.plain());

        assertThat(lines.get(0)).isEqualTo("run_at,transaction_id,commit_sha,run_id,branch,triggered_by,tags,notes,"
                + "excluded,excluded_reason,acc,f1,stderr:acc");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains(",newer,").endsWith(",0.49,0.52,");
        assertThat(lines.get(2)).contains(",older,").endsWith(",0.47,0.5,0.015");
    }

    @Test
    void a_metric_named_like_a_tablesaw_stderr_column_keeps_its_name_beside_the_stderr_column() {
        List<String> lines = csvLines(SERIES.twin());

        assertThat(lines.get(0)).endsWith(",excluded_reason,acc,acc_stderr,metric:stderr:acc,stderr:acc");
        assertThat(lines.get(1)).endsWith(",0.6,0.3,0.1,0.02");
    }

    @Test
    void a_metric_named_like_a_stderr_column_gets_the_metric_prefix_so_the_header_has_no_name_twice() {
        List<String> header = List.of(csvLines(SERIES.twin()).get(0).split(","));

        assertThat(header).contains("metric:stderr:acc", "stderr:acc").doesNotHaveDuplicates();
    }
}
