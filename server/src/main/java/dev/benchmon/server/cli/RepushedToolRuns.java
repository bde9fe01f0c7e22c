package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Filter;
import dev.benchmon.query.MetricColumns;
import dev.benchmon.server.api.QueryParams;
import dev.benchmon.server.ingest.IngestReport;
import dev.benchmon.server.ingest.Ingestion;
import dev.benchmon.server.ingest.ResultReport;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The results of a tool's file ({@code push --format lm-eval}, ...) that a push stored as a new run beside a run of
 * their series stored before with the same run_at and the same values: most likely the same file pushed again under
 * another run id (or without one, or with one now). A tool's result is keyed by its run id, series, run_at and values
 * (docs/INPUT.md "Re-sending and re-runs"), so another run id is another run, and it is stored, as documented; push
 * says so in a warning, with the run id that finds the file already present. The history is read after the push by
 * {@link PostPushChecks} ({@link #filter}: the few seconds those results were run in), only when it stored a tool's
 * result that has a run_at.
 */
final class RepushedToolRuns {
    /** The most warnings listed (the count covers all). */
    static final int MAX_LISTED = PushSummary.MAX_LISTED;

    private RepushedToolRuns() {
    }

    /**
     * A run of the history: its id, series fields, run_at, run_id, and each metric's value ({@code null}: none).
     *
     * @param metric a metric's name to its value in this run, {@code null} when the run holds none
     */
    record StoredRun(long id, SeriesKey series, Instant runAt, String runId,
                     java.util.function.Function<String, Double> metric) {
        /** Whether this run holds every value of {@code r} (its series and run_at are {@link Place}'s to match). */
        private boolean holdsValuesOf(BenchmarkResult r) {
            return r.metrics().entrySet().stream().allMatch(m -> m.getValue().equals(metric.apply(m.getKey())));
        }
    }

    /** Where a twin is: a series and a run_at to the microsecond, as the database keeps it. */
    private record Place(SeriesKey series, Instant runAt) {
        static Place of(BenchmarkResult r) {
            return new Place(SeriesKey.of(r), micros(r.runAt()));
        }
    }

    /**
     * One read of the history: the filter it asked with and the rows it gave; {@link #limitReached} when they are as
     * many as the filter's limit, so more may match (as the server's {@code limit_reached} says).
     */
    record Read(Filter filter, List<StoredRun> runs) {
        boolean limitReached() {
            return filter.limit() != null && runs.size() >= filter.limit();
        }
    }

    /**
     * The history {@link #filter} selects, and the places the reads could not hold whole: each a model, dataset and
     * environment with more runs at one run_at (to the microsecond) than a read's limit
     * ({@code more than 10000 runs of m / d @local at 2026-01-31T11:00:00Z}), of which only the runs stored last were
     * read.
     */
    record History(List<StoredRun> runs, List<String> unread) {
    }

    /** The fewest rows one read of the history asks for. */
    static final int READ_LIMIT = 10_000;

    /**
     * The rows one read asks for when the push stored {@code stored} results with a run_at: three a result (its own
     * row, the copy it may be of, one more), so that a file pushed twice is read in one; at least
     * {@link #READ_LIMIT}, at most what the server takes.
     */
    private static int readLimit(int stored) {
        return (int) Math.min(QueryParams.MAX_LIMIT, Math.max(READ_LIMIT, 3L * stored));
    }

    /** The results this push stored that have a run_at (by the report's index, file order), or none. */
    private static Map<Integer, BenchmarkResult> storedWithRunAt(List<BenchmarkResult> results, IngestReport report) {
        Map<Integer, BenchmarkResult> out = new LinkedHashMap<>();
        report.results().stream().filter(ResultReport::created).forEach(r -> {
            BenchmarkResult sent = r.index() >= 0 && r.index() < results.size() ? results.get(r.index()) : null;
            if (sent != null && sent.runAt() != null) {
                out.put(r.index(), sent);
            }
        });
        return out;
    }

    /**
     * The history that holds every run that could be a twin of a result this push stored: the results' models,
     * datasets and environments, from a second before the earliest run_at to a second after the latest; empty when
     * the push stored no result with a run_at (nothing to read).
     */
    static Optional<Filter> filter(List<BenchmarkResult> results, IngestReport report) {
        Map<Integer, BenchmarkResult> stored = storedWithRunAt(results, report);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        List<BenchmarkResult> runs = List.copyOf(stored.values());
        Instant first = runs.stream().map(BenchmarkResult::runAt).min(Instant::compareTo).orElseThrow();
        Instant last = runs.stream().map(BenchmarkResult::runAt).max(Instant::compareTo).orElseThrow();
        return Optional.of(Filter.all().withModels(Ingestion.distinct(runs, BenchmarkResult::modelVersion))
                .withDatasets(Ingestion.distinct(runs, BenchmarkResult::datasetVersion))
                .withEnvironments(Ingestion.distinct(runs, BenchmarkResult::environment))
                .withSince(first.minusSeconds(1)).withUntil(last.plusSeconds(1)).withLimit(readLimit(runs.size())));
    }

    /**
     * Every row {@code filter} selects, in reads of at most its limit of rows each ({@code store} may answer a
     * filter in several reads, each of its own part): a read that reaches its limit is asked again in halves of its
     * models, datasets or environments ({@link BoundedQueries#halves}); one that names one of each is read on back in
     * time from the oldest run_at it holds (the history comes newest first, so every later row is in). A read of rows
     * all at one run_at that still reaches its limit is {@link History#unread}: no filter narrows it. So a push of
     * thousands of results reads all the rows of its series, not as many as one read takes.
     */
    static History readAll(Filter filter, java.util.function.Function<Filter, List<Read>> store) {
        Map<Long, StoredRun> runs = new LinkedHashMap<>(); // by id: reads of a run_at read on hold some rows twice
        List<String> unread = new ArrayList<>();
        java.util.Deque<Filter> todo = new java.util.ArrayDeque<>(List.of(filter));
        while (!todo.isEmpty()) {
            for (Read read : store.apply(todo.pop())) {
                read.runs().forEach(s -> runs.putIfAbsent(s.id(), s));
                if (!read.limitReached()) {
                    continue;
                }
                List<Filter> halves = BoundedQueries.halves(read.filter());
                if (!halves.isEmpty()) {
                    todo.addAll(halves);
                    continue;
                }
                Instant oldest = read.runs().stream().map(StoredRun::runAt).filter(Objects::nonNull)
                        .min(Instant::compareTo).orElseThrow();
                Instant until = micros(oldest).plus(1, ChronoUnit.MICROS); // the oldest run_at's rows, read again whole
                if (until.isBefore(read.filter().until())) {
                    todo.add(read.filter().withUntil(until));
                } else {
                    Filter f = read.filter();
                    unread.add("more than " + f.limit() + " runs of " + new SeriesKey(String.join(", ", f.models()), String.join(", ", f.datasets()), "",
                            String.join(", ", f.environments())).label() + " at " + oldest);
                }
            }
        }
        return new History(List.copyOf(runs.values()), unread);
    }

    /** {@code filter} as the query of {@code GET /api/v1/history} (JSON): --verify's, and its {@code until}. */
    static String historyQuery(Filter f) {
        return PushCommand.historyQuery(f) + ExportCommand.query(Map.of("until", List.of(f.until().toString())));
    }

    /** The runs of a server's history answer ({@code rows}, each metric under its name or {@code metric:NAME}). */
    static List<StoredRun> runsOf(JsonNode history) {
        List<StoredRun> runs = new ArrayList<>();
        for (JsonNode row : history.path("rows")) {
            runs.add(new StoredRun(row.path("id").asLong(), SeriesKey.of(row), instant(SeriesKey.text(row, "run_at")),
                    SeriesKey.text(row, "run_id"), m -> {
                JsonNode v = row.has(MetricColumns.PREFIX + m) ? row.get(MetricColumns.PREFIX + m) : row.get(m);
                return v != null && v.isNumber() ? v.doubleValue() : null;
            }));
        }
        return runs;
    }

    /** The runs of the database's history table ({@code push --db}, {@code --home}). */
    static List<StoredRun> runsOf(Table history) {
        List<StoredRun> runs = new ArrayList<>();
        // Each metric's column, found once for the table's rows (a search of its columns, as many as its metrics)
        Map<String, String> columns = new HashMap<>();
        for (int i = 0; i < history.rowCount(); i++) {
            int row = i;
            runs.add(new StoredRun(history.longColumn("id").getLong(i), SeriesKey.of(history, row),
                    history.instantColumn("run_at").get(i), texts(history, row).apply("run_id"), m -> {
                String column = columns.computeIfAbsent(m, name -> MetricColumns.columnOf(history, name));
                return column == null || history.numberColumn(column).isMissing(row) ? null
                        : history.numberColumn(column).getDouble(row);
            }));
        }
        return runs;
    }

    /** The text cells of row {@code row} of a history table by column name, {@code null} for a missing one. */
    static java.util.function.Function<String, String> texts(Table history, int row) {
        return c -> history.stringColumn(c).isMissing(row) ? null : history.stringColumn(c).get(row);
    }

    /**
     * One warning for each result this push stored (at most {@link #MAX_LISTED}) that a run stored before holds with
     * the same series, run_at and values:
     * {@code warning: result 1 (id 52) m / arc_easy @local was stored as a new run, though id 48 of its series holds the same
     * run_at (...) and values, stored under run_id 880 (this push: none). ...}.
     *
     * @param results the results as pushed (with their keys), indexed as the report is
     * @param stored  the history {@link #filter} selects, read after the push ({@link #readAll})
     */
    static List<String> warnings(List<BenchmarkResult> results, PushSummary.Sent sent, IngestReport report,
                                 History stored) {
        Set<Long> ours = new HashSet<>();
        report.results().forEach(r -> ours.add(r.id()));
        Map<Integer, ResultReport> byIndex = new HashMap<>();
        report.results().forEach(r -> byIndex.put(r.index(), r));
        // The runs stored before by series and run_at: each result compares values only with the runs of its place,
        // so a push of thousands of results at one run_at is not thousands times thousands of comparisons.
        Map<Place, List<StoredRun>> byPlace = new HashMap<>();
        stored.runs().stream().filter(s -> !ours.contains(s.id()) && s.runAt() != null).forEach(s -> byPlace
                .computeIfAbsent(new Place(s.series(), micros(s.runAt())), p -> new ArrayList<>()).add(s));
        List<String> out = new ArrayList<>();
        int found = 0;
        for (Map.Entry<Integer, BenchmarkResult> e : storedWithRunAt(results, report).entrySet()) {
            BenchmarkResult r = e.getValue();
            Optional<StoredRun> twin = byPlace.getOrDefault(Place.of(r), List.of()).stream()
                    .filter(s -> s.holdsValuesOf(r)).findFirst();
            if (twin.isPresent() && found++ < MAX_LISTED) {
                out.add(warning(sent.name(byIndex.get(e.getKey())), byIndex.get(e.getKey()).id(), r, twin.get()));
            }
        }
        if (found > MAX_LISTED) {
            out.add("warning: ... and " + (found - MAX_LISTED) + " more result(s) stored beside a run with the same "
                    + "run_at and values");
        }
        if (!stored.unread().isEmpty()) {
            out.add("note: the history holds " + String.join("; ",
                    stored.unread().subList(0, Math.min(MAX_LISTED, stored.unread().size())))
                    + (stored.unread().size() > MAX_LISTED ? "; ..." : "") + ", more than one read takes: this push's "
                    + "results there were checked for a run it stored again against the runs stored last only");
        }
        return out;
    }

    private static String warning(String name, long id, BenchmarkResult r, StoredRun twin) {
        String runIds = (twin.runId() == null ? "stored without a run_id" : "stored under run_id " + twin.runId())
                + " (this push: " + (r.runId() == null ? "none" : "run_id " + r.runId()) + ")";
        String again = twin.runId() == null ? "without --run-id (and without GITHUB_RUN_ID, which gives one)"
                : "with --run-id " + twin.runId();
        return "warning: " + name + " was stored as a new run, though id " + twin.id() + " of its series holds the same "
                + "run_at (" + twin.runAt() + ") and values, " + runIds + ": a tool's result is keyed by its run id, "
                + "series, run_at and values, so the same file pushed under another run id is another run. To push a "
                + "file again, push it " + again + " and it is found already present; to leave this copy out of "
                + "detection: benchmon alerts exclude " + id + " --reason 'pushed twice'";
    }

    /** The run_at as the database keeps it, to the microsecond. */
    private static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    /** A history row's run_at ({@code 2026-11-01T00:00:00.123456Z}, or with an offset), null when it has none. */
    private static Instant instant(String text) {
        return text == null ? null : java.time.OffsetDateTime.parse(text).toInstant();
    }
}
