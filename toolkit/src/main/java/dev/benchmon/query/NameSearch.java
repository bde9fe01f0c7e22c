package dev.benchmon.query;

import dev.benchmon.Filter;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * Names for type-ahead and for pages that show a subset: at most {@code limit} names starting with a
 * prefix, so a filter bar costs the same with 5,000 models as with 5. Models, datasets, prompts and
 * environments come from {@code series} (one row per series; a prefix is a range scan of its unique
 * index); metrics from metric_names, every metric name any result has (the names the filter bar accepts).
 */
public final class NameSearch {
    /** The kinds of name, as the API spells them. */
    public enum Kind {
        MODEL("model_version"), DATASET("dataset_version"), PROMPT("prompt_version"), ENVIRONMENT("environment"), METRIC(null);

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        /** The API's name of the kind ({@code model}, {@code metric}, ...). */
        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The most names one call returns. */
    public static final int MAX_LIMIT = 200;

    private final Jdbi jdbi;

    public NameSearch(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Up to {@code limit} (1 to {@value #MAX_LIMIT}) distinct names of {@code kind} that start with
     * {@code prefix} (case-sensitive, exact characters; "" for all), in ascending order.
     */
    public List<String> startingWith(Kind kind, String prefix, int limit) {
        int n = Math.max(1, Math.min(MAX_LIMIT, limit));
        String p = prefix == null ? "" : prefix;
        if (kind == Kind.METRIC) {
            return jdbi.withHandle(h -> h.createQuery("""
                    SELECT name FROM metric_names
                    WHERE left(name, length(:p)) = :p
                    ORDER BY name LIMIT :n""").bind("p", p).bind("n", n).mapTo(String.class).list());
        }
        // kind.column is one of four fixed column names, never user input. ">= :p" lets the index
        // start at the prefix; the left() test stops at its end.
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT " + kind.column + " AS name FROM series WHERE "
                        + kind.column + " >= :p AND left(" + kind.column + ", length(:p)) = :p ORDER BY 1 LIMIT :n")
                .bind("p", p).bind("n", n).mapTo(String.class).list());
    }

    /**
     * Models with results of {@code metric} in the filter's series and time window, newest run first.
     *
     * @param models the first {@code limit} of them
     * @param total  how many there are in all
     */
    public record NewestModels(List<String> models, int total) {
    }

    /**
     * The {@code limit} models whose newest result of {@code metric} in the filter's window is newest (ties by name),
     * and how many models have one: what a chart of "one line per model" shows when nobody chose models. A window
     * open to now reads the snapshots (one row per series: a series' latest run is in the window or none is); a
     * window with an end reads the daily rollups of its days.
     */
    public NewestModels newestModels(Filter filter, String metric, int limit) {
        Instant now = Instant.now();
        Instant since = filter.effectiveSince(now);
        Filter seriesOnly = FilterSql.seriesOnly(filter);
        String sql;
        FilterSql where;
        if (filter.until() == null) {
            where = FilterSql.of(seriesOnly.withSince(since), "s", "s", "s.run_at", now);
            sql = "SELECT s.model_version, count(*) OVER () AS total FROM benchmark_snapshots s"
                    + " WHERE (s.metrics -> :metric) IS NOT NULL" + where.andClause()
                    + " GROUP BY s.model_version ORDER BY max(s.run_at) DESC, s.model_version LIMIT :n";
        } else {
            where = FilterSql.of(seriesOnly, "s", "s", "s.run_at", now);
            sql = "SELECT s.model_version, count(*) OVER () AS total FROM benchmark_rollups_daily r JOIN series s ON s.id = r.series_id"
                    + " WHERE r.metric_id = (SELECT mi.id FROM metric_names mi WHERE mi.name = :metric)"
                    + " AND r.day <= CAST(:to_day AS date)"
                    + (since == null ? "" : " AND r.day >= CAST(:from_day AS date)") + where.andClause()
                    + " GROUP BY s.model_version ORDER BY max(r.last_run_at) DESC, s.model_version LIMIT :n";
        }
        int[] total = {0};
        List<String> models = jdbi.withHandle(h -> {
            var q = where.bind(h.createQuery(sql)).bind("metric", metric).bind("n", limit);
            if (filter.until() != null) {
                q.bind("to_day", LocalDate.ofInstant(filter.until(), ZoneOffset.UTC));
                if (since != null) {
                    q.bind("from_day", LocalDate.ofInstant(since, ZoneOffset.UTC));
                }
            }
            return q.map((rs, ctx) -> {
                total[0] = rs.getInt("total");
                return rs.getString("model_version");
            }).list();
        });
        return new NewestModels(models, total[0]);
    }

    /**
     * The metric names the filter's series (environment, model, dataset, prompt) reported in its time window, the
     * latest attempt of each run: a metric a series stopped reporting is among them while the window holds its
     * results. Read from the daily rollups of those series and days (the log for the window's partial days, as trends
     * read them), so the cost follows the series and days of the view, not the database; tags and providers are not
     * asked (rollups do not know them) and the filter's metrics are not a restriction.
     */
    public List<String> metricsOf(Filter filter) {
        RollupCells cells = RollupCells.of(filter, List.of(), Instant.now());
        return jdbi.withHandle(h -> cells.bind(h.createQuery(
                "SELECT DISTINCT c.metric FROM (" + cells.sql() + ") c ORDER BY 1")).mapTo(String.class).list());
    }
}
