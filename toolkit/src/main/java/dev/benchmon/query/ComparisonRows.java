package dev.benchmon.query;

import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.util.function.Function;

/**
 * The names of the rows of a {@link ComparisonQuery} table, one rule for every chart and table that shows them. Apart
 * from the query class so that drawing a table needs no database classes.
 */
public final class ComparisonRows {
    private ComparisonRows() {
    }

    /**
     * Names the rows of a comparison table ({@link ComparisonQuery}'s columns; {@code dataset_version} and
     * {@code environment} may be absent): the model alone when every row is on one dataset version and environment,
     * else {@code model · dataset @environment} (e.g. {@code medgemma-v1.3 · benchmark-set-v4 @production}), since
     * the table has a row per model, dataset version and environment and the model alone would name several.
     */
    public static Function<Row, String> labels(Table comparison) {
        boolean datasets = several(comparison, "dataset_version");
        boolean environments = several(comparison, "environment");
        return r -> r.getString("model_version") + (datasets || environments
                ? (comparison.containsColumn("dataset_version") ? " · " + r.getString("dataset_version") : "")
                + (comparison.containsColumn("environment") ? " @" + r.getString("environment") : "") : "");
    }

    private static boolean several(Table table, String column) {
        return table.containsColumn(column) && table.stringColumn(column).countUnique() > 1;
    }
}
