package dev.benchmon.detect;

import dev.benchmon.DatabaseException;
import dev.benchmon.Filter;
import dev.benchmon.MetricDefinition;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays the detector over stored history ({@code benchmon backtest}, {@code bm.backtest}): per series
 * and metric, runs in the order they were recorded (so late arrivals replay as they happened), with the
 * alert memory carried from run to run. Nothing is stored.
 */
public final class Backtest {
    /**
     * Sensitivities tried by {@link #suggestSensitivity}, most sensitive first: from 2 sd to 10 sd. Not lower: while a
     * series is short its verdicts follow the relative rule whatever the sensitivity, so every setting ties on a short
     * history, and a tie goes to the most sensitive one tried, which would then flood alerts as the series grows.
     */
    static final double[] GRID = {2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 7, 8, 10};

    private final Jdbi jdbi;
    private final DetectionService detection;

    public Backtest(Jdbi jdbi, DetectionService detection) {
        this.jdbi = jdbi;
        this.detection = detection;
    }

    /**
     * One replayed series and metric; {@code alerted}: the runs whose replayed judgement raised a regression alert, in
     * arrival order (as many as {@code alerts}), so that a rate can be checked run by run.
     */
    public record Row(String series, String metric, int runs, int alerts, int improvements, int changePoints,
                      List<AlertedRun> alerted) {
        public Row {
            alerted = List.copyOf(alerted);
        }

        public double alertsPer100() {
            return runs == 0 ? 0 : 100.0 * alerts / runs;
        }
    }

    /**
     * A run the replay raised a regression alert on: its result id ({@code transaction_id}), run_at, and the engine's
     * words ({@code -4.1 points (6.2 sd), since commit ...}), as a push of it would have said.
     */
    public record AlertedRun(long transactionId, java.time.Instant runAt, String text) {
    }

    /**
     * The arrivals of every series and metric matching the filter, in recorded order: the runs that count, as the
     * engine's histories hold them (DetectionService's load). A CI re-run's later attempt replaces the earlier ones,
     * which are left out (replayed, the re-run would be judged against the attempt it replaces: an alert the engine
     * never gave, in the very rates {@code --target-rate} tunes); so are runs marked excluded.
     */
    Map<String, Map<String, List<Observation>>> load(Filter filter) {
        try {
            Map<String, Map<String, List<Observation>>> out = new LinkedHashMap<>();
            jdbi.useHandle(h -> h.createQuery("""
                    SELECT t.model_version || ' / ' || t.dataset_version
                           || CASE WHEN t.prompt_version = '' THEN '' ELSE ' / ' || t.prompt_version END
                           || ' @' || t.environment AS series,
                           t.id, t.run_at, t.commit_sha, m.key AS metric, (m.value #>> '{}')::float8 AS value,
                           (t.stderr ->> m.key)::float8 AS se, (t.sample_sizes ->> m.key)::bigint AS n
                    FROM benchmark_results_current t
                    CROSS JOIN LATERAL jsonb_each(t.metrics) m
                    WHERE NOT EXISTS (SELECT 1 FROM excluded_runs e WHERE e.transaction_id = t.id)
                      AND (CAST(:models AS text[]) IS NULL OR t.model_version = ANY (CAST(:models AS text[])))
                      AND (CAST(:datasets AS text[]) IS NULL OR t.dataset_version = ANY (CAST(:datasets AS text[])))
                      AND (CAST(:environments AS text[]) IS NULL OR t.environment = ANY (CAST(:environments AS text[])))
                      AND (CAST(:metrics AS text[]) IS NULL OR m.key = ANY (CAST(:metrics AS text[])))
                      AND jsonb_typeof(m.value) = 'number'
                    ORDER BY series, metric, t.recorded_at, t.id""")
                    .bind("models", arr(filter.models())).bind("datasets", arr(filter.datasets()))
                    .bind("environments", arr(filter.environments())).bind("metrics", arr(filter.metrics()))
                    .map((rs, ctx) -> {
                        double se = rs.getDouble("se");
                        if (rs.wasNull()) {
                            se = Double.NaN;
                        }
                        long n = rs.getLong("n");
                        out.computeIfAbsent(rs.getString("series"), k -> new LinkedHashMap<>())
                                .computeIfAbsent(rs.getString("metric"), k -> new ArrayList<>())
                                .add(new Observation(rs.getLong("id"), rs.getObject("run_at", OffsetDateTime.class).toInstant(),
                                        rs.getDouble("value"), se, n, rs.getString("commit_sha")));
                        return 0;
                    }).list());
            return out;
        } catch (JdbiException e) {
            throw new DatabaseException("backtest could not read the history: " + e.getMessage(), e);
        }
    }

    /** Replays every series and metric at the given overrides. */
    public List<Row> run(Filter filter, DetectionOverrides overrides) {
        return replay(load(filter), detection.definitions(), overrides);
    }

    static List<Row> replay(Map<String, Map<String, List<Observation>>> data, Map<String, MetricDefinition> defs,
                            DetectionOverrides overrides) {
        List<Row> rows = new ArrayList<>();
        data.forEach((series, metrics) -> metrics.forEach((metric, arrivals) -> {
            MetricSemantics sem = MetricSemantics.of(metric, defs);
            DetectionSettings s = sem.settings(overrides);
            List<MetricJudgement> js = Replay.run(arrivals, sem.direction(), s);
            int alerts = 0;
            int improvements = 0;
            List<AlertedRun> alerted = new ArrayList<>();
            for (int i = 0; i < js.size(); i++) {
                MetricJudgement j = js.get(i);
                if (j.late()) {
                    continue; // a late run opens no alert (push says so), nor does its replay
                }
                if (j.alert() && j.outcome() == Outcome.REGRESSION) {
                    alerts++;
                    Observation o = arrivals.get(i); // Replay judges the arrivals in their order, one each
                    alerted.add(new AlertedRun(o.transactionId(), o.runAt(), j.text()));
                } else if (j.alert() && j.outcome() == Outcome.IMPROVEMENT) {
                    improvements++;
                }
            }
            List<Observation> byTime = new ArrayList<>(arrivals);
            byTime.sort(java.util.Comparator.comparing(Observation::runAt).thenComparingLong(Observation::transactionId));
            int cps = new ChangePointDetector(s).detect(byTime.stream().mapToDouble(Observation::value).toArray()).size();
            rows.add(new Row(series, metric, arrivals.size(), alerts, improvements, cps, alerted));
        }));
        return rows;
    }

    /**
     * The most sensitive setting (smallest noise-sd threshold from {@link #GRID}) whose replay gives at most
     * {@code targetPer100} regression alerts per 100 runs over the whole history; NaN when none does.
     */
    public double suggestSensitivity(Filter filter, double targetPer100) {
        Map<String, Map<String, List<Observation>>> data = load(filter);
        Map<String, MetricDefinition> defs = detection.definitions();
        for (double z : GRID) {
            List<Row> rows = replay(data, defs, DetectionOverrides.NONE.withSensitivity(z));
            if (totalPer100(rows) <= targetPer100) {
                return z;
            }
        }
        return Double.NaN;
    }

    /** Regression alerts per 100 runs over all rows. */
    public static double totalPer100(List<Row> rows) {
        long runs = rows.stream().mapToLong(Row::runs).sum();
        long alerts = rows.stream().mapToLong(Row::alerts).sum();
        return runs == 0 ? 0 : 100.0 * alerts / runs;
    }

    /** Rows as a table: series, metric, runs, alerts, improvements, alerts_per_100_runs, change_points. */
    public static Table toTable(List<Row> rows) {
        StringColumn series = StringColumn.create("series");
        StringColumn metric = StringColumn.create("metric");
        IntColumn runs = IntColumn.create("runs");
        IntColumn alerts = IntColumn.create("alerts");
        IntColumn improvements = IntColumn.create("improvements");
        DoubleColumn per100 = DoubleColumn.create("alerts_per_100_runs");
        IntColumn cps = IntColumn.create("change_points");
        for (Row r : rows) {
            series.append(r.series());
            metric.append(r.metric());
            runs.append(r.runs());
            alerts.append(r.alerts());
            improvements.append(r.improvements());
            per100.append(r.alertsPer100());
            cps.append(r.changePoints());
        }
        return Table.create("backtest", series, metric, runs, alerts, improvements, per100, cps);
    }

    private static String[] arr(List<String> v) {
        return v.isEmpty() ? null : v.toArray(String[]::new);
    }
}
