package dev.benchmon.query;

import dev.benchmon.Filter;
import org.jdbi.v3.core.Jdbi;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Models side by side: per model and metric, n, mean, stddev, min, max and last value, and the
 * difference of each mean to the first model's (the reference).
 */
public final class ComparisonQuery {
    private final Jdbi jdbi;

    public ComparisonQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Compares the filter's models (in the filter's order; the first is the reference). */
    public Table compare(Filter filter) {
        FilterSql where = FilterSql.of(filter, "t", "t", "t.run_at", Instant.now());
        TableReader reader = TableReader.named("model comparison")
                .string("model_version", "metric", "direction").ints("n")
                .doubles("mean", "stddev", "min", "max", "last");
        if (!filter.metrics().isEmpty()) {
            where.and("m.key = ANY (:f_metrics)", Map.of("f_metrics", filter.metrics().toArray(String[]::new)));
        }
        jdbi.useHandle(h -> where.bind(h.createQuery("""
                SELECT t.model_version, m.key AS metric, metric_direction(m.key) AS direction, count(*)::int AS n,
                       avg((m.value #>> '{}')::float8) AS mean, stddev_samp((m.value #>> '{}')::float8) AS stddev,
                       min((m.value #>> '{}')::float8) AS min, max((m.value #>> '{}')::float8) AS max,
                       (array_agg((m.value #>> '{}')::float8 ORDER BY t.run_at DESC, t.id DESC))[1] AS last
                FROM benchmark_transactions t
                CROSS JOIN LATERAL jsonb_each(t.metrics) AS m(key, value)""" + where.where() + """

                GROUP BY t.model_version, m.key"""))
                .map((rs, ctx) -> {
                    reader.row(rs);
                    return null;
                }).list());
        return withDifferences(order(reader.table(), filter.models()), filter.models());
    }

    private static Table order(Table t, List<String> models) {
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < models.size(); i++) {
            rank.put(models.get(i), i);
        }
        IntColumn order = IntColumn.create("model_rank");
        for (String model : t.stringColumn("model_version")) {
            order.append(rank.getOrDefault(model, models.size()));
        }
        t.addColumns(order);
        Table sorted = t.sortOn("metric", "model_rank", "model_version");
        return ReadableTable.of(sorted.removeColumns("model_rank").setName(t.name()));
    }

    private static Table withDifferences(Table t, List<String> models) {
        DoubleColumn diff = DoubleColumn.create("diff_to_first");
        DoubleColumn rel = DoubleColumn.create("relative_diff_to_first");
        String reference = models.isEmpty() ? null : models.get(0);
        Map<String, Double> referenceMean = new HashMap<>();
        for (Row r : t) {
            if (r.getString("model_version").equals(reference)) {
                referenceMean.put(r.getString("metric"), r.getDouble("mean"));
            }
        }
        for (Row r : t) {
            Double ref = referenceMean.get(r.getString("metric"));
            if (ref == null) {
                diff.appendMissing();
                rel.appendMissing();
            } else {
                double d = r.getDouble("mean") - ref;
                diff.append(d);
                if (ref == 0) rel.appendMissing(); else rel.append(d / Math.abs(ref));
            }
        }
        return t.addColumns(diff, rel);
    }
}
