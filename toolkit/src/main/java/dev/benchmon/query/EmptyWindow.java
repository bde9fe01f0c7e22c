package dev.benchmon.query;

import dev.benchmon.DatabaseException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Says why a query over the last {@code window} of known models came back empty, in the table's name (what a terminal
 * prints above it, as the dashboard says "Widen the time range"): {@code f1 by day: no results in the last 30 days;
 * the newest is 2025-11-02: widen the range}. Data imported from old files is the common case. One query, and only
 * for an empty table: the newest {@code run_at} among the models' series ({@code benchmark_snapshots}, one row a
 * series).
 */
public final class EmptyWindow {
    private final Jdbi jdbi;

    public EmptyWindow(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * {@code table}, renamed with the reason when it is empty and the newest result of {@code models} (reporting
     * {@code metric}, when not null) is older than the window; otherwise {@code table} as it was.
     */
    public Table explain(Table table, List<String> models, String metric, Duration window) {
        if (table.rowCount() > 0) {
            return table;
        }
        Instant since = Instant.now().minus(window);
        Instant newest;
        try {
            newest = jdbi.withHandle(h -> h.createQuery("""
                            SELECT max(run_at) FROM benchmark_snapshots
                            WHERE model_version = ANY (CAST(:models AS text[]))
                              AND (CAST(:metric AS text) IS NULL OR metrics -> CAST(:metric AS text) IS NOT NULL)""")
                    .bind("models", models.toArray(String[]::new))
                    .bind("metric", metric)
                    .mapTo(OffsetDateTime.class).findOne().map(OffsetDateTime::toInstant).orElse(null));
        } catch (JdbiException e) {
            throw new DatabaseException("reading the newest result of " + models + " failed: " + e.getMessage(), e);
        }
        if (newest != null && !newest.isBefore(since)) {
            return table; // the window holds results; something else left it empty
        }
        table.setName(table.name() + ": " + reason(window, newest));
        return table;
    }

    /** {@code no results in the last 30 days; the newest is 2025-11-02: widen the range} (or {@code ...; none older}). */
    static String reason(Duration window, Instant newest) {
        return "no results in the last " + describe(window) + (newest == null ? "; none older either"
                : "; the newest is " + newest.atOffset(ZoneOffset.UTC).toLocalDate() + ": widen the range");
    }

    /** {@code 30 days}, {@code 1 day}, {@code 6 hours}, else ISO-8601 ({@code PT90M}). */
    static String describe(Duration window) {
        if (!window.isZero() && window.toHours() % 24 == 0 && window.equals(Duration.ofDays(window.toDays()))) {
            return window.toDays() == 1 ? "day" : window.toDays() + " days";
        }
        if (!window.isZero() && window.equals(Duration.ofHours(window.toHours()))) {
            return window.toHours() == 1 ? "hour" : window.toHours() + " hours";
        }
        return window.toString();
    }
}
