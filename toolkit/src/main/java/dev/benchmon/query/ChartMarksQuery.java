package dev.benchmon.query;

import dev.benchmon.Filter;
import dev.benchmon.MetricDefinition;
import dev.benchmon.detect.ChangePointText;
import dev.benchmon.detect.DetectionService;
import dev.benchmon.detect.MetricSemantics;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The marks of one metric's charts for the series a filter selects ({@link ChartMark}): excluded runs with
 * their reason, run notes and note annotations, alerts marked expected, and the change points the detection
 * engine stored. Read from {@code excluded_runs}, the log's {@code notes}, {@code run_annotations},
 * {@code alerts} and {@code detection_change_points}; each kind at most {@value #LIMIT} marks per metric, the newest.
 */
public final class ChartMarksQuery {
    /** At most this many marks of each kind per metric. */
    public static final int LIMIT = 500;

    private static final String RUNS = " FROM benchmark_transactions t JOIN series s ON s.id = t.series_id"
            + " CROSS JOIN unnest(CAST(:metrics AS text[])) AS mm(metric)";
    private static final String LABEL = "s.model_version || ' / ' || s.dataset_version"
            + " || CASE WHEN s.prompt_version = '' THEN '' ELSE ' / ' || s.prompt_version END || ' @' || s.environment";
    private static final String VALUE =
            "CASE WHEN jsonb_typeof(t.metrics -> mm.metric) = 'number' THEN (t.metrics ->> mm.metric)::float8 END";
    private static final String HAS_METRIC = "jsonb_typeof(t.metrics -> mm.metric) = 'number'";
    /** The newest {@value #LIMIT} of a kind per metric. */
    private static final String NEWEST = ", row_number() OVER (PARTITION BY mm.metric ORDER BY t.run_at DESC) AS rn";

    private final Jdbi jdbi;

    public ChartMarksQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The marks of {@code metric} for the filter's series and time range, oldest first. */
    public List<ChartMark> marks(Filter filter, String metric) {
        return marks(filter, List.of(metric)).get(metric);
    }

    /**
     * The marks of each of {@code metrics} for the filter's series and time range, oldest first, in three statements
     * whatever the number of metrics (a Trends page of 200 small charts made 400 before): annotations, change points,
     * and the metric definitions that say which metrics are proportions (a change point's change in points, else in
     * the unit and percent). Every metric named is a key, with an empty list when nothing marks it.
     */
    public Map<String, List<ChartMark>> marks(Filter filter, List<String> metrics) {
        FilterSql where = FilterSql.of(filter, "s", "t", "t.run_at", Instant.now());
        String and = where.andClause();
        String annotations = "SELECT kind, at, value, series, text, metric FROM ("
                + "SELECT 'excluded' AS kind, t.run_at AS at, " + VALUE + " AS value, " + LABEL + " AS series,"
                + " 'excluded by ' || x.actor || ': ' || x.reason AS text, mm.metric" + NEWEST + RUNS
                + " JOIN excluded_runs x ON x.transaction_id = t.id WHERE " + HAS_METRIC + and
                + " UNION ALL SELECT 'note', t.run_at, " + VALUE + ", " + LABEL + ", 'note: ' || t.notes, mm.metric" + NEWEST + RUNS
                + " WHERE t.notes IS NOT NULL AND btrim(t.notes) <> '' AND " + HAS_METRIC + and
                + " UNION ALL SELECT 'note', t.run_at, " + VALUE + ", " + LABEL + ", 'note by ' || r.actor || ': ' || r.text, mm.metric"
                + NEWEST + RUNS + " JOIN run_annotations r ON r.transaction_id = t.id WHERE r.kind = 'note' AND " + HAS_METRIC + and
                + " UNION ALL SELECT 'expected', t.run_at, " + VALUE + ", " + LABEL + ", 'expected change (alert #' || a.id"
                + " || '): ' || a.verdict || coalesce(' · ' || (SELECT e.actor || ': ' || coalesce(e.comment, 'expected')"
                + " FROM alert_events e WHERE e.alert_id = a.id AND e.state = 'expected' ORDER BY e.id DESC LIMIT 1), ''), mm.metric"
                + NEWEST + RUNS + " JOIN alerts a ON a.series_id = s.id AND a.transaction_id = t.id"
                + " WHERE a.state = 'expected' AND a.metric = mm.metric" + and
                + ") m WHERE rn <= " + LIMIT;
        String changePoints = "SELECT at, level_before, level_after, magnitude, sd, confidence, commit_before, commit_after,"
                + " series, metric FROM (SELECT t.run_at AS at, c.level_before, c.level_after, c.magnitude, c.sd, c.confidence,"
                + " c.commit_before, c.commit_after, " + LABEL + " AS series, mm.metric" + NEWEST + RUNS
                + " JOIN detection_change_points c ON c.series_id = s.id AND c.tx_after = t.id"
                + " WHERE c.metric = mm.metric" + and + ") m WHERE rn <= " + LIMIT;
        Map<String, List<ChartMark>> out = new LinkedHashMap<>();
        metrics.forEach(m -> out.put(m, new ArrayList<>()));
        if (out.isEmpty()) {
            return out;
        }
        String[] names = out.keySet().toArray(String[]::new); // each metric once
        jdbi.useHandle(h -> {
            where.bind(h.createQuery(annotations)).bind("metrics", names).map((rs, ctx) -> {
                double v = rs.getDouble("value");
                return out.get(rs.getString("metric")).add(new ChartMark(
                        ChartMark.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), at(rs),
                        rs.wasNull() ? Double.NaN : v, rs.getString("series"), rs.getString("text")));
            }).list();
            List<ChangePointRow> found = where.bind(h.createQuery(changePoints)).bind("metrics", names)
                    .map((rs, ctx) -> ChangePointRow.of(rs)).list();
            if (found.isEmpty()) {
                return; // no definitions to read: most pages have no change point in their range
            }
            // Only the definitions of the metrics with a change point: a text of a proportion reads in points.
            Map<String, MetricDefinition> definitions = DetectionService.definitionsIn(h,
                    found.stream().map(ChangePointRow::metric).distinct().toList());
            for (ChangePointRow c : found) {
                out.get(c.metric()).add(new ChartMark(ChartMark.Kind.CHANGE_POINT, c.at(), c.levelAfter(), c.series(),
                        c.text(MetricSemantics.isProportion(c.metric(), definitions.get(c.metric())))));
            }
        });
        out.values().forEach(l -> l.sort(Comparator.comparing(ChartMark::at).thenComparing(ChartMark::kind)));
        return out;
    }

    private static Instant at(ResultSet rs) throws SQLException {
        return rs.getObject("at", OffsetDateTime.class).toInstant();
    }

    /** A change point's row, read before the metric definitions its text needs (read only when there is one). */
    private record ChangePointRow(String metric, Instant at, double levelBefore, double levelAfter, double sd,
                                  double confidence, String commitBefore, String commitAfter, String series) {
        static ChangePointRow of(ResultSet rs) throws SQLException {
            double sd = rs.getDouble("sd");
            return new ChangePointRow(rs.getString("metric"), ChartMarksQuery.at(rs), rs.getDouble("level_before"),
                    rs.getDouble("level_after"), rs.wasNull() ? Double.NaN : sd, rs.getDouble("confidence"),
                    rs.getString("commit_before"), rs.getString("commit_after"), rs.getString("series"));
        }

        String text(boolean proportion) {
            // Whole SHAs: hover text is the only place a chart's reader sees the commits.
            return "change point: " + ChangePointText.withWholeCommits(levelBefore, levelAfter, proportion, sd, confidence,
                    commitBefore, commitAfter, at);
        }
    }
}
