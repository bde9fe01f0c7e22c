package dev.benchmon.query;

import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.util.function.Function;

/**
 * The names of the rows of a table with a row (or line) per model, dataset version, prompt version and environment,
 * one rule for every chart and table that shows them: a {@link ComparisonQuery} table's rows and a
 * {@link TrendQuery} table's lines. Apart from the query classes so that drawing a table needs no database classes.
 */
public final class ComparisonRows {
    private ComparisonRows() {
    }

    /**
     * Names the rows of a comparison or trend table ({@code model_version}; {@code dataset_version},
     * {@code prompt_version} and {@code environment} may be absent): the model alone when every row is on one
     * dataset version, prompt and environment, else {@code model · dataset @environment} (e.g.
     * {@code medgemma-v1.3 · benchmark-set-v4 @production}), with {@code / prompt} after the dataset when the rows
     * are on several prompts, since the model alone would name several rows.
     */
    public static Function<Row, String> labels(Table comparison) {
        boolean datasets = several(comparison, "dataset_version");
        boolean prompts = several(comparison, "prompt_version");
        boolean environments = several(comparison, "environment");
        // Looked up once, not per row: Tablesaw compares column names case-blind on every lookup.
        boolean named = datasets || prompts || environments;
        boolean hasDataset = comparison.containsColumn("dataset_version");
        boolean hasEnvironment = comparison.containsColumn("environment");
        return r -> r.getString("model_version") + (named
                ? (hasDataset ? " · " + r.getString("dataset_version") : "")
                + (prompts && !r.getString("prompt_version").isEmpty() ? " / " + r.getString("prompt_version") : "")
                + (hasEnvironment ? " @" + r.getString("environment") : "") : "");
    }

    private static boolean several(Table table, String column) {
        return table.containsColumn(column) && table.stringColumn(column).countUnique() > 1;
    }
}
