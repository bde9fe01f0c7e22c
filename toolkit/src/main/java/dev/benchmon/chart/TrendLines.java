package dev.benchmon.chart;

import dev.benchmon.query.ComparisonRows;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * At most so many lines of a {@code timeSeries(...)} table: {@link Charts#trend} draws one line per series (model,
 * dataset, prompt, environment), and 12 models on 50 lm-eval tasks are 600 lines, which no reader follows and which
 * make a page of megabytes. Kept are the lines with the newest data (ties by name), so the choice is the same on
 * every request.
 *
 * @param trend the kept lines' rows, in the table's order
 * @param shown how many lines {@code trend} holds
 * @param total how many lines the table held
 */
public record TrendLines(Table trend, int shown, int total) {

    /** Whether lines were left out. */
    public boolean capped() {
        return shown < total;
    }

    /**
     * The at most {@code max} lines of {@code trend} (a {@code bm.timeSeries(filter, metric, bucket)} table) whose
     * newest bucket is newest.
     */
    public static TrendLines newest(Table trend, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        Function<Row, String> lineOf = ComparisonRows.labels(trend);
        Map<String, Instant> newest = new HashMap<>();
        for (Row r : trend) {
            newest.merge(lineOf.apply(r), r.getInstant("bucket"), (a, b) -> a.isAfter(b) ? a : b);
        }
        if (newest.size() <= max) {
            return new TrendLines(trend, newest.size(), newest.size());
        }
        List<String> ordered = newest.keySet().stream()
                .sorted(Comparator.comparing((String line) -> newest.get(line)).reversed().thenComparing(line -> line))
                .toList();
        Set<String> kept = new HashSet<>(ordered.subList(0, max));
        Table out = trend.emptyCopy();
        for (Row r : trend) {
            if (kept.contains(lineOf.apply(r))) {
                out.append(r);
            }
        }
        return new TrendLines(out, max, newest.size());
    }
}
