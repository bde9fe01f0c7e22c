package dev.benchmon.query;

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
 * At most so many lines of a trend: a chart draws one line per series (model, dataset, prompt, environment), and 12
 * models on 50 lm-eval tasks are 600 lines, which no reader follows and which make a page of megabytes. Kept are the
 * series with the newest results (ties by name), so the choice is the same on every request.
 *
 * @param trend the kept lines' rows (a {@code timeSeries(...)} table), by series, then bucket
 * @param shown how many lines {@code trend} holds
 * @param total how many series have results in the view
 */
public record TrendLines(Table trend, int shown, int total) {

    /** Whether lines were left out. */
    public boolean capped() {
        return shown < total;
    }

    /**
     * The at most {@code max} lines of {@code trend} (a whole {@code bm.timeSeries(filter, metric, bucket)} table) whose
     * newest bucket is newest: for a trend already read in full, where {@code Benchmon.newestLines} could not choose
     * the series first (a filter on tags or providers, which only the log answers).
     */
    public static TrendLines newest(Table trend, int max) {
        requirePositive(max);
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

    /** The lines of a trend read for chosen series only, of {@code total} series in the view. */
    static TrendLines chosen(Table trend, int total) {
        Function<Row, String> lineOf = ComparisonRows.labels(trend);
        Set<String> lines = new HashSet<>();
        for (Row r : trend) {
            lines.add(lineOf.apply(r));
        }
        return new TrendLines(trend, lines.size(), Math.max(total, lines.size()));
    }

    static void requirePositive(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
    }
}
