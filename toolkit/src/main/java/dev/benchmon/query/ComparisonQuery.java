package dev.benchmon.query;

import dev.benchmon.Filter;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.Estimate;
import dev.benchmon.compare.ExampleStore;
import dev.benchmon.compare.Method;
import dev.benchmon.compare.PairedStatistics;
import dev.benchmon.compare.Pairing;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.compare.RunInfo;
import dev.benchmon.compare.UnpairedStatistics;
import dev.benchmon.detect.MetricSemantics;
import org.jdbi.v3.core.Jdbi;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Models side by side, each against a reference model, like with like: one row per model, dataset version,
 * environment and metric (or, when {@link CompareOptions#pooled()} is chosen, per model and metric over
 * everything the filter selects).
 *
 * <p>Columns: {@code model_version, dataset_version, environment, metric, direction, n} (runs), {@code mean,
 * stddev, min, max, last}, {@code diff_to_first} and {@code relative_diff_to_first} (mean minus the reference's
 * mean on the same dataset version and environment), then {@code reference, compared, value_ref, value, diff, ci_low,
 * ci_high, p_value, method, n_compared}: the difference B - reference the test is about, {@code diff = value -
 * value_ref}, between the two estimates {@code compared} names, and how it was judged (see {@link Method}):
 * <ul>
 *   <li>{@value #SHARED_ITEMS}: paired on the items of the two models' latest results with examples when their scores
 *       make up this metric; the values are the mean scores on the shared items;</li>
 *   <li>{@value #LATEST_RESULTS}: else the two models' newest results in the window, judged by their reported stderr
 *       (or n of a proportion, {@link RunComparison#fallback}); the values are those results' values ({@code last} of
 *       each row), not the means over the window;</li>
 *   <li>{@value #RUN_MEANS}: else the means over the runs in the window ({@code mean} of each row, so {@code diff}
 *       equals {@code diff_to_first}), judged by run-to-run variation (Welch's t on the runs, at least 2 on each
 *       side), or not judged ({@code method = none}).</li>
 * </ul>
 * The reference's own rows have {@code method = reference} and no compared values.
 * Pooled rows have dataset_version and environment {@code *} and are never paired.
 */
public final class ComparisonQuery {
    /** Shown as dataset_version and environment of pooled rows. */
    public static final String POOLED = "*";
    /** The method shown on the reference model's own rows. */
    public static final String REFERENCE = "reference";
    /** {@code compared}: the mean scores of the two latest results with examples on the items both carry. */
    public static final String SHARED_ITEMS = "shared_items";
    /** {@code compared}: the values of the two newest results in the window, judged by their stderr or n. */
    public static final String LATEST_RESULTS = "latest_results";
    /** {@code compared}: the means of the runs in the window, judged run to run (or not judged). */
    public static final String RUN_MEANS = "run_means";

    private final Jdbi jdbi;

    public ComparisonQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private record Run(long id, Map<String, Double> metrics, Map<String, Double> stderr, Map<String, Long> n,
                       Double meanScore) {
    }

    private record Key(String model, String dataset, String environment) {
    }

    /**
     * An estimate with the two values its difference is between ({@code diff = value - valueRef}) and what they are
     * ({@link #SHARED_ITEMS}, {@link #LATEST_RESULTS} or {@link #RUN_MEANS}): a row states the numbers it compared.
     */
    private record Judged(Estimate estimate, String compared, double valueRef, double value) {
    }

    private static final class Group {
        final Key key;
        final List<Run> runs = new ArrayList<>();
        Run examples; // the latest run with examples

        Group(Key key) {
            this.key = key;
        }

        /** Values of a metric over the runs, oldest first. */
        double[] values(String metric) {
            return runs.stream().filter(r -> r.metrics().containsKey(metric)).mapToDouble(r -> r.metrics().get(metric))
                    .toArray();
        }

        Optional<Run> last(String metric) {
            for (int i = runs.size() - 1; i >= 0; i--) {
                if (runs.get(i).metrics().containsKey(metric)) {
                    return Optional.of(runs.get(i));
                }
            }
            return Optional.empty();
        }

        /** The metric the latest examples make up, or null without examples. */
        String examplesMetric() {
            return examples == null ? null : RunInfo.examplesMetric(examples.metrics(), examples.meanScore());
        }
    }

    /** Compares the filter's models with default options (the first model named is the reference). */
    public Table compare(Filter filter) {
        return compare(filter, CompareOptions.defaults());
    }

    /**
     * Compares the filter's models with {@code options}, on the results that count: runs excluded through triage
     * ({@code excluded_runs}) are left out of every row. From the daily rollups when they answer the filter (no tag
     * or provider filter), no result in it has per-example outcomes and none is excluded (the rollups count excluded
     * runs, as the trend draws them), since then every row needs only counts, means, variances, extremes and the
     * newest result (whose stderr and n are read by id); else from the log.
     */
    public Table compare(Filter filter, CompareOptions options) {
        Instant now = Instant.now();
        if (RollupCells.answers(filter) && !anyRunIn(filter, now, "example_outcomes", "excluded_runs")) {
            return fromRollups(filter, options, now);
        }
        return fromLog(filter, options);
    }

    /**
     * How many runs of {@code metric} each model has among the filter's results: from the daily rollups when they
     * answer the filter (no tag or provider filter), else from the log. Counts what {@link #compare} gives as
     * {@code n}, summed over dataset versions and environments, without comparing anything: excluded runs are not
     * counted (the rollups answer only when none is in the filter's scope).
     *
     * @return model_version to runs, only models with at least one run of {@code metric}, in name order
     */
    public Map<String, Long> runsPerModel(Filter filter, String metric) {
        Instant now = Instant.now();
        if (RollupCells.answers(filter) && !anyRunIn(filter, now, "excluded_runs")) {
            return jdbi.withHandle(h -> RollupCells.runsPerModel(h, filter, metric, now));
        }
        Map<String, Long> out = new TreeMap<>();
        FilterSql where = FilterSql.of(filter, "t", "t", "t.run_at", now).and(COUNTS, Map.of());
        jdbi.useHandle(h -> where.bind(h.createQuery("SELECT t.model_version, count(*) AS n FROM benchmark_results_current t"
                        + " WHERE (t.metrics -> :runs_metric) IS NOT NULL" + where.andClause() + " GROUP BY t.model_version"))
                .bind("runs_metric", metric)
                .map((rs, ctx) -> out.put(rs.getString("model_version"), rs.getLong("n"))).list());
        return out;
    }

    /**
     * The model versions with at least one result that counts among the filter's results (its names and time window),
     * in name order: from the daily run counts when they answer the filter (no tag or provider filter, no excluded run
     * in its scope, which those counts include), else from the log.
     */
    public List<String> modelsWithRuns(Filter filter) {
        Instant now = Instant.now();
        if (RollupCells.answers(filter) && !anyRunIn(filter, now, "excluded_runs")) {
            return jdbi.withHandle(h -> RollupCells.models(h, filter, now));
        }
        FilterSql where = FilterSql.of(filter, "t", "t", "t.run_at", now).and(COUNTS, Map.of());
        return jdbi.withHandle(h -> where.bind(h.createQuery("SELECT DISTINCT t.model_version FROM "
                + "benchmark_results_current t" + where.where() + " ORDER BY 1")).mapTo(String.class).list());
    }

    /**
     * Whether a run the filter selects has a row in one of {@code tables} (each keyed by {@code transaction_id}): per-example
     * outcomes ({@code example_outcomes}, which the rollups do not hold) or an exclusion ({@code excluded_runs}, whose runs
     * the rollups count); then the rollups cannot answer. One statement, probing those tables' few rows by the log's key
     * rather than scanning the log.
     */
    private boolean anyRunIn(Filter filter, Instant now, String... tables) {
        FilterSql where = FilterSql.of(filter, "t", "t", "t.run_at", now);
        String sql = "SELECT " + java.util.Arrays.stream(tables)
                .map(table -> "EXISTS (SELECT 1 FROM " + table + " e JOIN benchmark_transactions t ON t.id = e.transaction_id"
                        + where.where() + ")")
                .collect(java.util.stream.Collectors.joining(" OR "));
        return jdbi.withHandle(h -> where.bind(h.createQuery(sql)).mapTo(Boolean.class).one());
    }

    /** The condition on a log row {@code t} that it counts: not excluded through triage. */
    private static final String COUNTS = SnapshotQuery.notExcluded("t.id");

    /**
     * Which runs {@link #compare} averages for {@code metrics} among the filter's results (not pooled): the runs that
     * count (latest attempt, not excluded) reporting each metric, counted per metric and combined over them: the
     * fewest and most runs, the oldest and newest {@code run_at}, the newest run's transaction id. {@code null} when
     * no run reports any of them. The filter should name one model version, dataset version and environment (one
     * row group); the same selection as {@link #compare}'s, so the count is the rows' {@code n}. From the daily
     * rollups when they answer the filter and none of its runs has per-example outcomes or is excluded ({@link
     * #compare}'s rule, checked on this filter): counts, the newest run and the first day from the cells, the oldest
     * run_at from the log's rows of that day only; else from the log.
     */
    public RunComparison.RunMeans runsOf(Filter filter, List<String> metrics) {
        Instant now = Instant.now();
        List<Span> spans = RollupCells.answers(filter) && !anyRunIn(filter, now, "example_outcomes", "excluded_runs")
                ? spansFromRollups(filter, metrics, now) : spansFromLog(filter, metrics, now);
        if (spans.isEmpty()) {
            return null;
        }
        int fewest = Integer.MAX_VALUE;
        int most = 0;
        Instant first = null;
        Instant last = null;
        long newest = 0;
        for (Span s : spans) {
            fewest = Math.min(fewest, s.runs());
            most = Math.max(most, s.runs());
            first = first == null || s.firstAt().isBefore(first) ? s.firstAt() : first;
            if (last == null || s.lastAt().isAfter(last)) {
                last = s.lastAt();
                newest = s.newest();
            }
        }
        return new RunComparison.RunMeans(most, first, last, newest, metrics, fewest);
    }

    /** One metric's runs in {@link #runsOf}: how many, the oldest and newest run_at, the newest run's transaction id. */
    record Span(int runs, Instant firstAt, Instant lastAt, long newest) {
    }

    /**
     * Per metric, the {@link Span} of its runs ({@link #runsOf}), read from the log. Package-private for the test that
     * holds the two paths to the same answer.
     */
    List<Span> spansFromLog(Filter filter, List<String> metrics, Instant now) {
        FilterSql where = FilterSql.of(filter, "t", "t", "t.run_at", now).and(COUNTS, Map.of());
        return jdbi.withHandle(h -> where.bind(h.createQuery("""
                        SELECT m.key AS metric, count(*) AS runs, min(t.run_at) AS first_at, max(t.run_at) AS last_at,
                               (array_agg(t.id ORDER BY t.run_at DESC, t.id DESC))[1] AS newest
                        FROM benchmark_results_current t CROSS JOIN LATERAL jsonb_object_keys(t.metrics) AS m(key)"""
                        + where.where() + " AND m.key = ANY (:spanMetrics) GROUP BY m.key"))
                .bind("spanMetrics", metrics.toArray(String[]::new))
                .map(ComparisonQuery::span)
                .list());
    }

    /**
     * {@link #spansFromLog} from the daily rollups: a series' runs of a year are read as its days (365 cells a metric),
     * not as its results, which grow with the log (11,000 rows a series at ten million results). The cells keep each
     * day's newest run but not its oldest, so the oldest run_at is read from the log's rows of the first day with a
     * cell only (UTC days: 24 hours from the cell's start). A first day whose month was detached from the log keeps
     * its cells but not its rows: its start stands for the oldest run_at then. Package-private for the test.
     */
    List<Span> spansFromRollups(Filter filter, List<String> metrics, Instant now) {
        RollupCells cells = RollupCells.of(filter, metrics, now);
        return jdbi.withHandle(h -> cells.bind(h.createQuery("WITH cells AS (" + cells.unnamedSql() + """
                        ),
                        spans AS (
                            SELECT c.metric, sum(c.n)::int AS runs, min(c.t) AS first_t, max(c.last_run_at) AS last_at,
                                   (array_agg(c.last_transaction_id ORDER BY c.last_run_at DESC, c.last_transaction_id DESC))[1]
                                       AS newest
                            FROM cells c GROUP BY c.metric)
                        SELECT p.metric, p.runs, p.last_at, p.newest,
                               -- a rollup cell's t is its day's start, a log cell's (a window's partial day) its run_at
                               coalesce((SELECT min(t.run_at) FROM benchmark_results_current t
                                         WHERE t.series_id = ANY (ARRAY(SELECT c.series_id FROM cells c
                                                                        WHERE c.metric = p.metric AND c.t = p.first_t))
                                           AND t.run_at >= p.first_t AND t.run_at < p.first_t + interval '24 hours'
                                           AND jsonb_typeof(t.metrics -> p.metric) = 'number'),
                                        p.first_t) AS first_at
                        FROM spans p"""))
                .map(ComparisonQuery::span)
                .list());
    }

    private static Span span(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Span(rs.getInt("runs"), rs.getTimestamp("first_at").toInstant(),
                rs.getTimestamp("last_at").toInstant(), rs.getLong("newest"));
    }

    /** One row of merged rollup cells: a group's runs of one metric. */
    private record Cell(Key key, String metric, long n, double mean, double sd, double min, double max, double last,
                        long lastId) {
    }

    private Table fromRollups(Filter filter, CompareOptions options, Instant now) {
        boolean pooled = options.pooled();
        RollupCells cells = RollupCells.of(filter, filter.metrics(), now);
        List<String> groupBy = pooled ? List.of("c.model_version", "c.metric")
                : List.of("c.model_version", "c.dataset_version", "c.environment", "c.metric");
        Map<String, Map<Key, Cell>> byMetric = new TreeMap<>();
        jdbi.useHandle(h -> cells.bind(h.createQuery("WITH cells AS (" + cells.perSeriesSql() + ")\n"
                        + RollupCells.aggregate("cells", groupBy)))
                .map((rs, ctx) -> {
                    Key key = pooled ? new Key(rs.getString("g1"), POOLED, POOLED)
                            : new Key(rs.getString("g1"), rs.getString("g2"), rs.getString("g3"));
                    String metric = rs.getString(pooled ? "g2" : "g4");
                    double sd = rs.getDouble("stddev");
                    if (rs.wasNull()) sd = Double.NaN;
                    Cell c = new Cell(key, metric, rs.getLong("count"), rs.getDouble("mean"), sd, rs.getDouble("min"),
                            rs.getDouble("max"), rs.getDouble("last"), rs.getLong("last_transaction_id"));
                    return byMetric.computeIfAbsent(metric, m -> new HashMap<>()).put(key, c);
                }).list());
        TreeSet<String> models = new TreeSet<>();
        byMetric.values().forEach(m -> m.keySet().forEach(k -> models.add(k.model())));
        String reference = reference(filter, options, models);
        List<String> order = order(filter, reference, models);
        Map<Long, Run> lastRuns = lastRuns(byMetric);
        Map<String, MetricSemantics> semantics = semantics(byMetric.keySet());
        Table t = emptyTable();
        for (Map.Entry<String, Map<Key, Cell>> e : byMetric.entrySet()) {
            String metric = e.getKey();
            List<Cell> sorted = new ArrayList<>(e.getValue().values());
            sorted.sort(Comparator.comparing((Cell c) -> c.key().dataset()).thenComparing(c -> c.key().environment())
                    .thenComparing(c -> order.indexOf(c.key().model())));
            for (Cell c : sorted) {
                Cell ref = e.getValue().get(new Key(reference, c.key().dataset(), c.key().environment()));
                boolean isReference = c.key().model().equals(reference);
                Judged est = isReference || ref == null ? null
                        : estimate(metric, semantics.get(metric).proportion(), ref, c, lastRuns, options);
                appendRow(t, c.key(), metric, direction(semantics, metric), c.n(), c.mean(), c.sd(),
                        c.min(), c.max(), c.last(), ref == null ? Double.NaN : ref.mean(), reference, isReference, est);
            }
        }
        return ReadableTable.of(t);
    }

    /** The stderr and n of the newest result of each cell, by id (one query). */
    private Map<Long, Run> lastRuns(Map<String, Map<Key, Cell>> byMetric) {
        TreeSet<Long> ids = new TreeSet<>();
        byMetric.values().forEach(m -> m.values().forEach(c -> ids.add(c.lastId())));
        Map<Long, Run> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("""
                SELECT t.id, t.stderr::text AS stderr, t.sample_sizes::text AS sample_sizes
                FROM benchmark_transactions t WHERE t.id = ANY (:ids)""")
                .bind("ids", ids.toArray(Long[]::new))
                .map((rs, ctx) -> out.put(rs.getLong("id"), new Run(rs.getLong("id"), Map.of(),
                        doubles(rs.getString("stderr")), longs(rs.getString("sample_sizes")), null))).list());
        return out;
    }

    /**
     * As the log path's estimate without examples: the newest results' stderr (or n of a proportion), else
     * run-to-run, else none.
     */
    private static Judged estimate(String metric, boolean proportion, Cell ref, Cell c, Map<Long, Run> lastRuns,
                                   CompareOptions options) {
        Run lastA = lastRuns.get(ref.lastId());
        Run lastB = lastRuns.get(c.lastId());
        // A newest result whose month was detached from the log is not there to read (its rollup cell stays, and
        // says its value): no stderr or n of it, so the run-to-run estimate below, as for a result without them.
        if (lastA != null && lastB != null) {
            Estimate fromResults = RunComparison.fallback(metric, proportion, ref.last(), c.last(), lastA.stderr(),
                    lastB.stderr(), lastA.n(), lastB.n(), options.confidence());
            if (fromResults.method() != Method.NONE) {
                return new Judged(fromResults, LATEST_RESULTS, ref.last(), c.last());
            }
        }
        Estimate fromRuns = ref.n() >= 2 && c.n() >= 2
                ? UnpairedStatistics.runToRun(ref.mean(), ref.sd() * ref.sd(), ref.n(), c.mean(), c.sd() * c.sd(), c.n(),
                options.confidence())
                : Estimate.unjudged(c.mean() - ref.mean(), ref.n() + c.n());
        return new Judged(fromRuns, RUN_MEANS, ref.mean(), c.mean());
    }

    private static String reference(Filter filter, CompareOptions options, TreeSet<String> models) {
        return options.reference() != null ? options.reference()
                : !filter.models().isEmpty() ? filter.models().get(0) : models.isEmpty() ? null : models.first();
    }

    private static List<String> order(Filter filter, String reference, TreeSet<String> models) {
        List<String> order = new ArrayList<>();
        if (reference != null) order.add(reference);
        filter.models().stream().filter(m -> !order.contains(m)).forEach(order::add);
        models.stream().filter(m -> !order.contains(m)).forEach(order::add);
        return order;
    }

    /** The comparison from the log (every run that counts read): the reference the rollup path is tested against. */
    Table fromLog(Filter filter, CompareOptions options) {
        Map<Key, Group> groups = groups(filter, options.pooled());
        TreeSet<String> models = new TreeSet<>();
        groups.keySet().forEach(k -> models.add(k.model()));
        String reference = reference(filter, options, models);
        TreeSet<String> names = new TreeSet<>();
        groups.values().forEach(g -> g.runs.forEach(r -> names.addAll(r.metrics().keySet())));
        Map<String, MetricSemantics> semantics = semantics(names);
        List<String> order = order(filter, reference, models);

        Table t = emptyTable();
        Map<Long, ExampleStore.Outcomes> outcomes = new HashMap<>();
        ExampleStore store = new ExampleStore(jdbi);
        List<Group> sorted = new ArrayList<>(groups.values());
        sorted.sort(Comparator.comparing((Group g) -> g.key.dataset()).thenComparing(g -> g.key.environment())
                .thenComparing(g -> order.indexOf(g.key.model())));
        TreeSet<String> metrics = new TreeSet<>();
        groups.values().forEach(g -> g.runs.forEach(r -> metrics.addAll(r.metrics().keySet())));
        for (String metric : metrics) {
            if (!filter.metrics().isEmpty() && !filter.metrics().contains(metric)) {
                continue;
            }
            for (Group g : sorted) {
                double[] values = g.values(metric);
                if (values.length == 0) {
                    continue;
                }
                Group ref = groups.get(new Key(reference, g.key.dataset(), g.key.environment()));
                double[] refValues = ref == null ? new double[0] : ref.values(metric);
                boolean isReference = g.key.model().equals(reference);
                Judged e = isReference || refValues.length == 0 ? null
                        : estimate(metric, semantics.get(metric).proportion(), ref, g, refValues, values, options, store,
                        outcomes);
                appendRow(t, g.key, metric, direction(semantics, metric), values.length, mean(values),
                        values.length < 2 ? Double.NaN : Math.sqrt(variance(values, mean(values))),
                        java.util.Arrays.stream(values).min().orElseThrow(), java.util.Arrays.stream(values).max().orElseThrow(),
                        values[values.length - 1], refValues.length == 0 ? Double.NaN : mean(refValues), reference, isReference, e);
            }
        }
        return ReadableTable.of(t);
    }

    private Map<Key, Group> groups(Filter filter, boolean pooled) {
        FilterSql where = FilterSql.of(filter, "t", "t", "t.run_at", Instant.now()).and(COUNTS, Map.of());
        Map<Key, Group> groups = new LinkedHashMap<>();
        jdbi.useHandle(h -> where.bind(h.createQuery("""
                SELECT t.id, t.model_version, t.dataset_version, t.environment, t.metrics::text AS metrics,
                       t.stderr::text AS stderr, t.sample_sizes::text AS sample_sizes, e.mean_score
                FROM benchmark_results_current t -- the latest attempt of each run (V4)
                LEFT JOIN example_outcomes e ON e.transaction_id = t.id""" + where.where() + """

                ORDER BY t.run_at, t.id"""))
                .map((rs, ctx) -> {
                    double mean = rs.getDouble("mean_score");
                    Double meanScore = rs.wasNull() ? null : mean;
                    Map<String, Double> metrics = doubles(rs.getString("metrics"));
                    if (meanScore != null && RunInfo.examplesMetric(metrics, meanScore).equals(RunInfo.EXAMPLES_MEAN)) {
                        metrics.put(RunInfo.EXAMPLES_MEAN, meanScore); // the examples' own metric, to compare on
                    }
                    Run run = new Run(rs.getLong("id"), metrics, doubles(rs.getString("stderr")),
                            longs(rs.getString("sample_sizes")), meanScore);
                    Key key = pooled ? new Key(rs.getString("model_version"), POOLED, POOLED)
                            : new Key(rs.getString("model_version"), rs.getString("dataset_version"), rs.getString("environment"));
                    Group g = groups.computeIfAbsent(key, Group::new);
                    g.runs.add(run);
                    if (meanScore != null) {
                        g.examples = run;
                    }
                    return null;
                }).list());
        return groups;
    }

    /** Each metric's semantics by the engine's rules ({@link MetricSemantics}): its direction, whether a proportion. */
    private Map<String, MetricSemantics> semantics(java.util.Set<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, dev.benchmon.MetricDefinition> definitions =
                jdbi.withHandle(dev.benchmon.detect.DetectionService::definitionsIn);
        Map<String, MetricSemantics> out = new HashMap<>();
        names.forEach(m -> out.put(m, MetricSemantics.of(m, definitions)));
        return out;
    }

    /** The direction as every table reports it ({@code unknown} if none). */
    private static String direction(Map<String, MetricSemantics> semantics, String metric) {
        return semantics.get(metric).reportedDirection().sqlName();
    }

    /** Paired on examples when possible, else stderr / n of the latest runs, else run-to-run, else none. */
    private static Judged estimate(String metric, boolean proportion, Group ref, Group g, double[] refValues,
                                   double[] values, CompareOptions options, ExampleStore store,
                                   Map<Long, ExampleStore.Outcomes> cache) {
        if (!POOLED.equals(g.key.dataset()) && metric.equals(g.examplesMetric()) && metric.equals(ref.examplesMetric())) {
            ExampleStore.Outcomes oa = cache.computeIfAbsent(ref.examples.id(), id -> store.outcomes(id).orElseThrow());
            ExampleStore.Outcomes ob = cache.computeIfAbsent(g.examples.id(), id -> store.outcomes(id).orElseThrow());
            Pairing pairing = Pairing.of(oa, ob);
            if (pairing.size() > 0) {
                return new Judged(PairedStatistics.compare(pairing.a(), pairing.b(), options.confidence(),
                        options.resamples(), options.seed()), SHARED_ITEMS, mean(pairing.a()), mean(pairing.b()));
            }
        }
        Run lastA = ref.last(metric).orElseThrow();
        Run lastB = g.last(metric).orElseThrow();
        Estimate fromResults = RunComparison.fallback(metric, proportion, lastA.metrics().get(metric),
                lastB.metrics().get(metric),
                lastA.stderr(), lastB.stderr(), lastA.n(), lastB.n(), options.confidence());
        if (fromResults.method() != Method.NONE) {
            return new Judged(fromResults, LATEST_RESULTS, lastA.metrics().get(metric), lastB.metrics().get(metric));
        }
        Estimate fromRuns = refValues.length >= 2 && values.length >= 2
                ? UnpairedStatistics.runToRun(refValues, values, options.confidence())
                : Estimate.unjudged(mean(values) - mean(refValues), refValues.length + values.length);
        return new Judged(fromRuns, RUN_MEANS, mean(refValues), mean(values));
    }

    private static Table emptyTable() {
        return Table.create("model comparison", StringColumn.create("model_version"), StringColumn.create("dataset_version"),
                StringColumn.create("environment"), StringColumn.create("metric"), StringColumn.create("direction"),
                IntColumn.create("n"), DoubleColumn.create("mean"), DoubleColumn.create("stddev"), DoubleColumn.create("min"),
                DoubleColumn.create("max"), DoubleColumn.create("last"), DoubleColumn.create("diff_to_first"),
                DoubleColumn.create("relative_diff_to_first"), StringColumn.create("reference"), StringColumn.create("compared"),
                DoubleColumn.create("value_ref"), DoubleColumn.create("value"), DoubleColumn.create("diff"),
                DoubleColumn.create("ci_low"), DoubleColumn.create("ci_high"), DoubleColumn.create("p_value"),
                StringColumn.create("method"), LongColumn.create("n_compared"));
    }

    private static void appendRow(Table t, Key key, String metric, String direction, long n, double mean, double sd,
                                  double min, double max, double last, double refMean, String reference,
                                  boolean isReference, Judged judged) {
        t.stringColumn("model_version").append(key.model());
        t.stringColumn("dataset_version").append(key.dataset());
        t.stringColumn("environment").append(key.environment());
        t.stringColumn("metric").append(metric);
        t.stringColumn("direction").append(direction);
        t.intColumn("n").append((int) n);
        t.doubleColumn("mean").append(mean);
        put(t.doubleColumn("stddev"), n < 2 ? Double.NaN : sd);
        t.doubleColumn("min").append(min);
        t.doubleColumn("max").append(max);
        t.doubleColumn("last").append(last);
        double diff = mean - refMean;
        put(t.doubleColumn("diff_to_first"), diff);
        put(t.doubleColumn("relative_diff_to_first"), refMean == 0 ? Double.NaN : diff / Math.abs(refMean));
        t.stringColumn("reference").append(reference == null ? "" : reference);
        t.stringColumn("compared").append(judged == null ? "" : judged.compared());
        put(t.doubleColumn("value_ref"), judged == null ? Double.NaN : judged.valueRef());
        put(t.doubleColumn("value"), judged == null ? Double.NaN : judged.value());
        Estimate e = judged == null ? null : judged.estimate();
        put(t.doubleColumn("diff"), e == null ? Double.NaN : e.diff());
        put(t.doubleColumn("ci_low"), e == null ? Double.NaN : e.ciLow());
        put(t.doubleColumn("ci_high"), e == null ? Double.NaN : e.ciHigh());
        put(t.doubleColumn("p_value"), e == null ? Double.NaN : e.pValue());
        t.stringColumn("method").append(isReference ? REFERENCE : e == null ? Method.NO_REFERENCE.label() : e.method().label());
        if (e == null) t.longColumn("n_compared").appendMissing(); else t.longColumn("n_compared").append(e.n());
    }

    private static void put(DoubleColumn c, double v) {
        if (Double.isNaN(v)) c.appendMissing(); else c.append(v);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    private static double variance(double[] v, double mean) {
        double s = 0;
        for (double x : v) s += (x - mean) * (x - mean);
        return s / (v.length - 1);
    }

    private static Map<String, Double> doubles(String json) {
        return new TreeMap<>(dev.benchmon.ingest.ResultJson.readMetrics(json));
    }

    private static Map<String, Long> longs(String json) {
        Map<String, Long> out = new TreeMap<>();
        dev.benchmon.ingest.ResultJson.readMetrics(json).forEach((k, v) -> out.put(k, v.longValue()));
        return out;
    }
}
