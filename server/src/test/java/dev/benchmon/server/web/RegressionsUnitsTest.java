package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Regressions tab states a regression's values and change in its metric's unit, as {@code benchmon push} does
 * ({@code +770 ms}), not as bare numbers. Models: ru-latency, latency_ms (defined with unit ms by the schema's default
 * definitions) about 100 ms for ten runs, then 870 ms; ru-score, a metric without a definition, 10 then 87.
 */
class RegressionsUnitsTest {
    private static final double[] STEADY = {100, 101, 99, 100, 102, 98, 100, 101, 99, 100};

    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i <= STEADY.length; i++) {
            Instant at = now.minus(STEADY.length + 1 - i, ChronoUnit.HOURS);
            double value = i < STEADY.length ? STEADY[i] : 870;
            server.benchmon().record(BenchmarkResult.builder("ru-latency", "ru-set").environment("ci").runAt(at)
                    .metric("latency_ms", value).build());
            server.benchmon().record(BenchmarkResult.builder("ru-score", "ru-set").environment("ci").runAt(at)
                    .metric("ru_loss_total", value / 10).build());
        }
    }

    private static String page(String query) {
        HttpResponse<String> r = server.get("/regressions?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** The regression table's row of {@code metric}: series, metric, baseline, current, why, ... */
    private static List<String> row(String html, String metric) {
        return Html.table(html, "regression-table").stream().filter(r -> r.get(1).startsWith(metric)).findFirst()
                .orElseThrow(() -> new AssertionError("no row of " + metric + " in " + html));
    }

    @Test
    void a_regression_of_a_metric_with_a_unit_states_baseline_current_and_change_in_it() {
        List<String> latency = row(page("model=ru-latency&range=7d"), "latency_ms");

        assertThat(latency.get(2)).isEqualTo("100 ms");
        assertThat(latency.get(3)).isEqualTo("870 ms");
        assertThat(latency.get(4)).startsWith("+770 ms (+770.0%)");
    }

    @Test
    void the_chosen_regressions_summary_states_its_values_in_the_unit() {
        assertThat(page("model=ru-latency&range=7d")).contains("+770 ms (+770.0%)").contains("baseline 100 ms → 870 ms");
    }

    @Test
    void a_regression_of_a_metric_without_a_unit_keeps_bare_numbers() {
        List<String> score = row(page("model=ru-score&range=7d"), "ru_loss_total");

        assertThat(score.get(2)).isEqualTo("10");
        assertThat(score.get(3)).isEqualTo("87");
        assertThat(score.get(4)).startsWith("+77.0 (+770.0%)");
    }
}
