package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V20 gives each stored verdict the run_at of the run it judged: a version 19 database's verdicts get theirs from
 * the log, and the engine's next verdicts store their own. Each test upgrades a database of its own.
 */
class VerdictRunAtMigrationTest {
    private static final String VERDICTS = """
            SELECT v.metric, v.transaction_id, v.run_at = l.run_at FROM detection_verdicts v
            JOIN benchmark_log l ON l.id = v.transaction_id ORDER BY v.metric""";

    /** A version 19 database with one run (run_at with microseconds) and its two verdicts, upgraded. */
    private static String upgradedVersion19Database() throws IOException, SQLException {
        return OldSchemas.upgraded(19, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics)
                    VALUES (11, 1, '2026-03-01T08:00:00.123456Z', gen_random_uuid(), '{"f1": 0.8, "latency_ms": 120}')""");
            st.execute("""
                    INSERT INTO detection_verdicts (series_id, metric, transaction_id, outcome, method, sensitivity)
                    VALUES (1, 'f1', 11, 'no_baseline', 'noise', 4), (1, 'latency_ms', 11, 'no_baseline', 'noise', 4)""");
        });
    }

    @Test
    void the_old_verdicts_get_the_run_at_of_their_run() throws IOException, SQLException {
        String url = upgradedVersion19Database();
        assertThat(OldSchemas.rows(url, VERDICTS)).containsExactly("f1 | 11 | t", "latency_ms | 11 | t");
    }

    @Test
    void the_engine_stores_the_run_at_of_each_run_it_judges() throws IOException, SQLException {
        String url = upgradedVersion19Database();
        try (Benchmon bm = OldSchemas.open(url)) {
            bm.record(BenchmarkResult.builder("m1", "d").environment("ci").runAt(Instant.parse("2026-03-02T20:00:00.654321Z"))
                    .metric("f1", 0.9).metric("latency_ms", 118).build());
        }
        assertThat(OldSchemas.rows(url, VERDICTS)).hasSize(2).allSatisfy(row -> assertThat(row).endsWith(" | t"))
                .noneSatisfy(row -> assertThat(row).contains(" 11 "));
    }
}
