package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A metric a series stopped reporting stays known: its history, trends and alerts are still there to read. */
class StoppedMetricTest {
    private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");
    private Benchmon bm;

    @BeforeEach
    void open() {
        bm = TestDatabases.fresh();
        bm.record(BenchmarkResult.builder("asr", "libri").environment("ci").runAt(T).metric("wer", 0.05)
                .metric("perplexity", 12).build());
        bm.record(BenchmarkResult.builder("asr", "libri").environment("ci").runAt(T.plusSeconds(60)).metric("wer", 0.05).build());
    }

    @AfterEach
    void close() {
        bm.close();
    }

    @Test
    void it_is_listed_among_the_known_metrics() {
        assertThat(bm.metrics()).containsExactly("perplexity", "wer");
        assertThat(bm.knownNames("metric")).contains("perplexity");
    }

    @Test
    void its_history_can_be_asked_for_by_name() {
        Table history = bm.history(Filter.model("asr").withMetrics("perplexity"));

        assertThat(history.doubleColumn("perplexity").asList()).contains(12.0);
    }
}
