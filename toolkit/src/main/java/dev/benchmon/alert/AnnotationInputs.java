package dev.benchmon.alert;

import dev.benchmon.detect.DetectionInputs;
import org.jdbi.v3.core.Jdbi;

import java.util.HashSet;
import java.util.Set;

/**
 * What triage tells the detection engine: runs marked {@code excluded}, and, for a series with an
 * alert marked {@code expected}, the runs before the new level (the baseline starts at the expected
 * change). Mutes are not passed on: a muted finding is still judged and recorded as a muted alert.
 */
public final class AnnotationInputs implements DetectionInputs {
    private final Jdbi jdbi;

    public AnnotationInputs(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Set<Long> excludedTransactions(int seriesId) {
        // The engine judges a series as a whole, so a baseline reset of one of its metrics starts the
        // baseline of the series at that run (the newest reset wins).
        return jdbi.withHandle(h -> new HashSet<>(h.createQuery("""
                        SELECT transaction_id FROM excluded_runs WHERE series_id = :s
                        UNION
                        SELECT t.id FROM benchmark_transactions t
                        JOIN series s ON s.model_version = t.model_version AND s.dataset_version = t.dataset_version
                                     AND s.prompt_version = t.prompt_version AND s.environment = t.environment
                        JOIN LATERAL (SELECT r.run_at, r.transaction_id FROM baseline_resets r WHERE r.series_id = s.id
                                      ORDER BY r.run_at DESC LIMIT 1) r ON true
                        WHERE s.id = :s AND (t.run_at, t.id) < (r.run_at, r.transaction_id)""")
                .bind("s", seriesId).mapTo(Long.class).list()));
    }
}
