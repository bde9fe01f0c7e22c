package dev.benchmon.query;

import dev.benchmon.Filter;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.OffsetDateTime;

/** Counts for KPI cards: series, runs in the window, models, last ingest. */
public final class SummaryQuery {
    private final Jdbi jdbi;

    public SummaryQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Summary summary(Filter filter) {
        Instant now = Instant.now();
        Filter noWindow = new Filter(filter.environments(), filter.models(), filter.datasets(), filter.prompts(),
                filter.providers(), filter.tags(), null, null, null, filter.metrics(), null);
        FilterSql seriesWhere = SnapshotQuery.where(noWindow, now);
        // The models of the series the snapshot table lists: those whose latest run is in the window.
        FilterSql listedWhere = SnapshotQuery.where(filter, now);
        FilterSql runsWhere = FilterSql.of(filter, "t", "t", "t.run_at", now);
        return jdbi.withHandle(h -> {
            long series = seriesWhere.bind(h.createQuery("SELECT count(*) " + SnapshotQuery.from(noWindow) + seriesWhere.where()))
                    .mapTo(Long.class).one();
            long models = listedWhere.bind(h.createQuery("SELECT count(DISTINCT s.model_version) "
                    + SnapshotQuery.from(filter) + listedWhere.where())).mapTo(Long.class).one();
            long runs = RollupCells.answers(filter) ? RollupCells.runCount(h, filter, now)
                    : runsWhere.bind(h.createQuery("SELECT count(*) FROM benchmark_results_current t" + runsWhere.where()))
                    .mapTo(Long.class).one();
            OffsetDateTime last = h.createQuery("SELECT max(updated_at) FROM benchmark_snapshots")
                    .mapTo(OffsetDateTime.class).one();
            return new Summary(series, runs, models, last == null ? null : last.toInstant());
        });
    }
}
