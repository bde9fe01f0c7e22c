package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertFilter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V12 (alert shifts) carries a version 9 database with alerts forward: each alert's shift starts at the run
 * that raised it, and a change-point alert is its own confirming change point.
 */
class AlertShiftsMigrationTest {
    @Test
    void a_version_9_database_with_alerts_is_upgraded_and_its_alerts_keep_their_runs_as_shift_starts()
            throws SQLException, IOException {
        String url = OldSchemas.databaseAt(9, st -> {
            st.execute("INSERT INTO series (model_version, dataset_version, prompt_version, environment) VALUES ('old', 'd', '', 'ci')");
            st.execute("""
                    INSERT INTO benchmark_transactions (idempotency_key, model_version, dataset_version, prompt_version,
                        environment, metrics, run_at, notes)
                    VALUES ('k1', 'old', 'd', '', 'ci', '{"f1": 0.9}', '2026-01-01T00:00:00Z', NULL),
                           ('k2', 'old', 'd', '', 'ci', '{"f1": 0.8}', '2026-01-02T00:00:00Z', 'new tokenizer')""");
            st.execute("""
                    INSERT INTO alerts (series_id, metric, kind, transaction_id, last_transaction_id, verdict, state)
                    SELECT s.id, 'f1', k.kind, t.id, t.id, 'old verdict', 'open'
                    FROM series s, benchmark_transactions t, (VALUES ('regression'), ('change_point')) k(kind)
                    WHERE t.idempotency_key = 'k2'""");
        });
        try (Benchmon bm = OldSchemas.open(url)) {
            long run = bm.jdbi().withHandle(h -> h.createQuery(
                    "SELECT id FROM benchmark_transactions WHERE idempotency_key = benchmark_key_uuid('k2')::text").mapTo(Long.class).one());
            List<Alert> alerts = bm.alertBook().list(AlertFilter.all());
            assertThat(alerts).hasSize(2).allSatisfy(a -> {
                assertThat(a.shiftTx()).isEqualTo(run);
                assertThat(a.verdict()).isEqualTo("old verdict");
            });
            assertThat(alerts).filteredOn(a -> a.kind().equals("change_point")).singleElement()
                    .satisfies(a -> assertThat(a.changePointTx()).isEqualTo(run));
            assertThat(alerts).filteredOn(a -> a.kind().equals("regression")).singleElement()
                    .satisfies(a -> assertThat(a.changePointTx()).isNull());
            // The noted run is a chart mark after the upgrade.
            assertThat(bm.chartMarks(dev.benchmon.Filter.all(), "f1")).singleElement()
                    .satisfies(m -> assertThat(m.text()).isEqualTo("note: new tokenizer"));
        }
    }
}
