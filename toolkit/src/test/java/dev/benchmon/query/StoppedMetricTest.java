package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A metric a series stopped reporting stays known: its history, trends and alerts are still there to read. */
class StoppedMetricTest {
    private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    @BeforeEach
    void open() {
        bm.record(BenchmarkResult.builder("asr", "libri").environment("ci").runAt(T).metric("wer", 0.05)
                .metric("perplexity", 12).build());
        bm.record(BenchmarkResult.builder("asr", "libri").environment("ci").runAt(T.plusSeconds(60)).metric("wer", 0.05).build());
    }

    @Test
    void it_is_listed_among_the_known_metrics() {
        assertThat(bm.metrics()).containsExactly("perplexity", "wer");
        assertThat(bm.knownNames("metric")).contains("perplexity");
    }

    @Test
    void it_is_among_the_metrics_of_its_series_while_the_window_holds_its_results() {
        assertThat(bm.names().metricsOf(Filter.model("asr").withSince(T.minusSeconds(86_400)).withUntil(T.plusSeconds(120))))
                .containsExactly("perplexity", "wer");
        // A window starting within the day, after its last perplexity (that day is read from the log, not rollups).
        assertThat(bm.names().metricsOf(Filter.model("asr").withSince(T.plusSeconds(30)).withUntil(T.plusSeconds(120))))
                .containsExactly("wer");
    }

    @Test
    void a_metric_only_an_attempt_a_rerun_superseded_reported_is_not_among_them() {
        bm.record(BenchmarkResult.builder("asr", "libri").environment("ci").runAt(T.plusSeconds(120)).runId("gh-1")
                .metric("wer", 0.05).metric("flaky", 1).build());
        bm.record(BenchmarkResult.builder("asr", "libri").environment("ci").runAt(T.plusSeconds(120)).runId("gh-1")
                .metric("wer", 0.06).build());

        assertThat(bm.names().metricsOf(Filter.model("asr").withSince(T.plusSeconds(90)).withUntil(T.plusSeconds(180))))
                .containsExactly("wer");
        assertThat(bm.names().metricsOf(Filter.model("asr").withSince(T.minusSeconds(86_400))
                .withUntil(T.plusSeconds(3 * 86_400)))).containsExactly("perplexity", "wer"); // from the rollups
    }

    @Test
    void its_history_can_be_asked_for_by_name() {
        Table history = bm.history(Filter.model("asr").withMetrics("perplexity"));

        assertThat(history.doubleColumn("perplexity").asList()).contains(12.0);
    }
}
