package dev.benchmon.server.cli;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.RecordOutcome;
import dev.benchmon.detect.MetricSemantics;
import dev.benchmon.ingest.ClosestNames;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The metric columns of a CSV import that may misspell a metric the database holds ({@code acuracy} beside
 * {@code accuracy}), and the runs the import stored with them. Such a column is stored as a new metric, and the series'
 * runs then miss the one meant; the import's general warning would have said to define the new name, which makes the
 * typo permanent. Found before the load (the database's metric names, {@link ClosestNames#renamings}), the stored runs
 * noted as the chunks commit (memory: the results of a chunk or two, whatever the file's size), said after the load.
 */
final class MisspeltColumns {
    /** The stored runs a warning names; the others are counted. */
    private static final int RUNS_NAMED = 5;

    /** Each new column's name to the metrics of the database it is close to. */
    private final Map<String, List<String>> near;
    /** Indexes of results read that report a misspelt column, with those columns, until their chunk's outcomes arrive. */
    private final Map<Long, List<String>> pending = new HashMap<>();
    /** Per misspelt column, the runs stored with it: the first few ids and the count. */
    private final Map<String, StoredRuns> stored = new HashMap<>();

    private MisspeltColumns(Map<String, List<String>> near) {
        this.near = near;
    }

    private static final class StoredRuns {
        final List<Long> named = new ArrayList<>();
        long count;
    }

    /**
     * The columns of {@code csvMetrics} that the database does not hold and that may misspell one of {@code known} (the
     * database's metric names): a letter left out, added, changed or swapped ({@link ClosestNames#renamings}), not a name
     * that merely begins with a known one ({@code latency_p99} beside {@code latency}: another metric). A metric the file
     * also has as a column of its own is no typo, and a column close to another column of the file is not said to
     * misspell a metric of the database ({@code accuracyy} beside {@code accuracy} would be named a typo of an older
     * typo the database holds, {@code acuracy}).
     */
    static MisspeltColumns of(Collection<String> csvMetrics, Collection<String> known) {
        Set<String> held = new HashSet<>(known);
        List<String> fresh = csvMetrics.stream().filter(m -> !held.contains(m))
                .filter(m -> csvMetrics.stream().noneMatch(o -> !o.equals(m) && ClosestNames.renamings(o, List.of(m)).contains(m)))
                .toList();
        Map<String, List<String>> near = new TreeMap<>();
        if (!fresh.isEmpty()) {
            for (String k : known) {
                if (!csvMetrics.contains(k)) {
                    for (String n : ClosestNames.renamings(k, fresh)) {
                        if (!n.startsWith(k + "_") && !n.startsWith(k + "-")) {
                            near.computeIfAbsent(n, x -> new ArrayList<>()).add(k);
                        }
                    }
                }
            }
        }
        return new MisspeltColumns(near);
    }

    /** The columns found, by name. */
    Set<String> columns() {
        return near.keySet();
    }

    /** Notes result {@code index} as read, when it reports a misspelt column. */
    void read(long index, BenchmarkResult r) {
        if (!near.isEmpty()) {
            List<String> columns = r.metrics().keySet().stream().filter(near::containsKey).toList();
            if (!columns.isEmpty()) {
                pending.put(index, columns);
            }
        }
    }

    /** Notes a committed chunk's outcome: a result read with a misspelt column that was stored (not found stored). */
    void committed(RecordOutcome outcome) {
        List<String> columns = pending.remove((long) outcome.index());
        if (columns != null && outcome.created()) {
            for (String column : columns) {
                StoredRuns runs = stored.computeIfAbsent(column, c -> new StoredRuns());
                runs.count++;
                if (runs.named.size() < RUNS_NAMED) {
                    runs.named.add(outcome.transactionId());
                }
            }
        }
    }

    /**
     * The warning after the load, one paragraph per column, or "" when there is no misspelt column:
     * <pre>
     * warning: column 'acuracy' is a metric new to this database, close to accuracy, which it holds: a misspelt column?
     *   The 1 run(s) this import stored with it (run 9) report acuracy, not accuracy (a verdict says accuracy missing
     *   where the run before reported it). If it is misspelt, exclude those runs (benchmon alerts exclude 9 --reason "misspelt column")
     *   and import the file again with the column renamed. If it is a metric of its own, define it:
     *   benchmon metrics define acuracy --direction higher_is_better|lower_is_better|none
     * </pre>
     */
    String warning() {
        StringBuilder sb = new StringBuilder();
        String nl = System.lineSeparator();
        near.forEach((column, meant) -> {
            String them = String.join(" or ", meant);
            StoredRuns runs = stored.get(column);
            sb.append("warning: column '").append(column).append("' is a metric new to this database, close to ")
                    .append(them).append(", which it holds: a misspelt column?").append(nl).append("  ");
            if (runs == null) {
                sb.append("This import stored no new run with it.");
            } else {
                String ids = runs.named.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
                        + (runs.count > runs.named.size() ? " and " + (runs.count - runs.named.size()) + " more" : "");
                sb.append("The ").append(runs.count).append(" run(s) this import stored with it (run")
                        .append(runs.count == 1 ? " " : "s ").append(ids).append(") report ").append(column)
                        .append(", not ").append(them).append(" (a verdict says ").append(them)
                        .append(" missing where the run before reported it). If it is misspelt, exclude those runs "
                                + "(benchmon alerts exclude ").append(runs.named.get(0))
                        .append(" --reason \"misspelt column\", for each) and import the file again with the column renamed.");
            }
            sb.append(" If it is a metric of its own, define it:").append(nl).append("  ")
                    .append(MetricSemantics.declareCommand(column)).append(nl);
        });
        return sb.toString();
    }
}
