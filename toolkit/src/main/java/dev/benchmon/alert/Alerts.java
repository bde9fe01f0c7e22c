package dev.benchmon.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.chart.MetricUnits;
import dev.benchmon.db.GenericPlans;
import dev.benchmon.ingest.ResultJson;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alert book: records the detector's findings as alerts, lists them, and changes their state.
 * Writes go through {@code alert_record_findings} and {@code alert_set_state} (SECURITY DEFINER);
 * every state change is appended to {@code alert_events}.
 */
public final class Alerts {
    /**
     * A read of alerts: those of {@code alerts a} (with the {@code run_id} of the run it names, {@code t}: a lookup per
     * alert in {@code benchmark_log}; {@code a.transaction_at} is that run's time) that
     * {@code where} picks, in {@code order} and up to {@code limit} (an SQL expression, or null for all), with their
     * series and their change now. The change now (the newest counted run of the metric, a per-series index probe
     * per alert) is looked up only for the alerts picked, after the order and the limit: the /alerts page picks up to
     * 10,000 of however many there are. {@code with} is a CTE the condition reads ("name AS (...), ") or empty.
     * The run before the change is the alert's own column (V34), looked up nowhere; the run it names is looked up by its id
     * and its run_at (V39), in one month of the log. (Package-private: AlertReadPlanTest
     * explains a read.)
     */
    static String read(String with, String where, String order, String limit) {
        return read(with, where, order, limit, "");
    }

    /** {@link #read(String, String, String, String)} with more columns per alert: {@code extra} (", expr AS name"). */
    static String read(String with, String where, String order, String limit, String extra) {
        return "WITH " + with + """
                picked AS MATERIALIZED (
                    SELECT a.*, t.run_id
                    -- by its run_at too (V39): the run is looked up in its month of the log, not in every month's index;
                    -- one lookup per alert (OFFSET 0 keeps it one): as a join, a small database's plan hashed every
                    -- month of the log, read whole, against the alerts (17 alerts, 48,100 results: 17 ms against 0.6 ms)
                    FROM alerts a CROSS JOIN LATERAL (SELECT l.run_id FROM benchmark_log l
                                                      WHERE l.id = a.transaction_id AND l.run_at = a.transaction_at OFFSET 0) t
                    WHERE""" + " " + where + " ORDER BY " + order + (limit == null ? "" : " LIMIT " + limit) + """
                )
                SELECT a.id, a.series_id, s.model_version, s.dataset_version, s.prompt_version, s.environment, a.metric,
                    a.kind, a.transaction_id, a.last_transaction_id, a.run_id, a.commit_from, a.commit_to, a.baseline,
                    a.current, a.magnitude, a.severity, a.verdict, a.state, a.opened_at, a.state_changed_at,
                    -- the run it was raised on and when the run it names ran: an alert whose first run is excluded
                    -- words its verdict's start from the run it names (Alerts#verdict), no lookup of the excluded run
                    a.raised_tx, a.transaction_at AS named_at,
                    coalesce(a.shift_tx, a.transaction_id) AS shift_tx, a.change_point_tx, a.change_point_confidence,
                    n.transaction_id AS now_tx, n.value AS now_value,
                    -- the stored grade (alert_regrade's high-water mark, whose rises are the announced escalations),
                    -- not one computed here again: the API, CLI and dashboard show the grade the history announced
                    CASE WHEN n.value IS NOT NULL THEN coalesce(a.severity_now, a.severity) END AS now_severity,
                    -- the run before the change, stored when the alert was raised (V34): nothing to look up per read
                    a.before_transaction_id AS from_tx,
                    -- the unit of the metric's definition: with its name, whether it is a proportion (MetricSemantics),
                    -- whose change is worded in percentage points, as its verdict words it
                    (SELECT d.unit FROM metric_definitions d WHERE d.name = a.metric) AS metric_unit,
                    -- where the change point that confirmed it is, when it starts at another run than the alert's
                    -- change (someone bisecting needs its range): as the detector stored it, by its key
                    cp.tx_before AS cp_from_tx, cp.commit_before AS cp_from_commit, cp.commit_after AS cp_to_commit""" + extra + """

                FROM picked a JOIN series s ON s.id = a.series_id
                LEFT JOIN detection_change_points cp ON cp.series_id = a.series_id AND cp.metric = a.metric
                    AND cp.tx_after = a.change_point_tx AND a.change_point_tx <> coalesce(a.shift_tx, a.transaction_id)
                LEFT JOIN LATERAL (
                    -- an active alert's change now: the newest counted run of its metric, else the run it follows
                    SELECT coalesce(r.transaction_id, a.last_transaction_id) AS transaction_id,
                           coalesce(r.value, a.current) AS value
                    FROM (SELECT 1) one
                    LEFT JOIN alert_newest_run_after(a.series_id, a.transaction_id, a.transaction_at, a.metric) r ON true
                    WHERE a.state IN ('open', 'acknowledged', 'muted')) n ON true
                ORDER BY""" + " " + order;
    }

    /**
     * The listing's order of states: open, acknowledged, muted, expected, resolved (what needs someone first, what is
     * settled last), as an SQL expression on {@code a.state} that sorts ascending.
     */
    static final String STATE_ORDER = "array_position(ARRAY['open', 'acknowledged', 'muted', 'expected', 'resolved'],"
            + " a.state)";

    /** Open first, then by id (the run page's and a push's order). */
    private static final String OPEN_FIRST = "(a.state = 'open') DESC, a.id";

    private final Jdbi jdbi;
    private final java.util.function.IntConsumer seriesChanged;

    public Alerts(Jdbi jdbi) {
        this(jdbi, seriesId -> { });
    }

    /** @param seriesChanged called with a series' id after an alert of it was marked expected or taken out of expected (re-judges it) */
    public Alerts(Jdbi jdbi, java.util.function.IntConsumer seriesChanged) {
        this.jdbi = jdbi;
        this.seriesChanged = seriesChanged;
    }

    /**
     * THE entry point for the detector: records findings about runs just stored, in the caller's
     * transaction ({@code handle}), and returns the alerts that opened or resolved. Safe to call again
     * with the same findings (nothing changes the second time).
     */
    public static List<AlertChange> onFindings(Handle handle, List<Finding> findings) {
        if (findings.isEmpty()) {
            return List.of();
        }
        // Whether each metric is a proportion, as an alert's read decides it (its name and its stored definition's
        // unit): the escalation events alert_record_findings writes word the change as the alert does. The engine's
        // findings say it (it judged with the definitions read in this transaction); only the others' are read here.
        Map<String, String> units = new java.util.HashMap<>();
        String[] unknown = findings.stream().filter(f -> f.proportion() == null).map(Finding::metric).distinct()
                .toArray(String[]::new);
        if (unknown.length > 0) {
            handle.createQuery("SELECT name, unit FROM metric_definitions WHERE name = ANY (:names)")
                    .bind("names", unknown).map((rs, ctx) -> units.put(rs.getString("name"), rs.getString("unit"))).list();
        }
        ArrayNode array = ResultJson.mapper().createArrayNode();
        for (Finding f : findings) {
            ObjectNode o = array.addObject();
            o.put("series_id", f.seriesId()).put("metric", f.metric()).put("kind", f.kind().sqlName())
                    .put("transaction_id", f.transactionId())
                    .put("proportion", f.proportion() != null ? f.proportion()
                            : dev.benchmon.detect.MetricSemantics.isProportionUnit(f.metric(), units.get(f.metric())));
            putNumber(o, "baseline", f.baseline());
            putNumber(o, "current", f.current());
            // the value as the alert's texts word it (4 significant digits), not float8's text (0.70786077578)
            if (Double.isFinite(f.current())) {
                o.put("current_text", dev.benchmon.detect.MetricJudge.formatValue(f.current()));
            }
            if (!f.changePointsByRun().isEmpty()) {
                ArrayNode byRun = o.putArray("change_points_by_run");
                for (Finding.ChangePointsWith w : f.changePointsByRun()) {
                    ObjectNode r = byRun.addObject().put("transaction_id", w.transactionId())
                            .put("value_text", dev.benchmon.detect.MetricJudge.formatValue(w.value()))
                            .put("kind", w.regression() ? "regression" : "within_noise");
                    w.changePointRuns().forEach(r.putArray("change_points")::add);
                }
            }
            if (f.magnitude() != null) {
                putNumber(o, "magnitude", f.magnitude());
            }
            o.put("severity", f.severity()).put("text", f.text()).put("commit_from", f.commitFrom())
                    .put("commit_to", f.commitTo());
            if (f.txBefore() != null) {
                o.put("tx_before", f.txBefore());
            }
            if (f.shiftTx() != null) {
                o.put("shift_tx", f.shiftTx());
            }
            if (f.seenIn() != null) {
                o.put("seen_in", f.seenIn());
            }
            if (f.confidence() != null) {
                putNumber(o, "confidence", f.confidence());
            }
            // How far apart two estimates of one shift's start may be (the search's shortest segment): a change point
            // confirms the alert of a shift that near, and a judged run withdraws one the series has none that near to.
            o.put("near_runs", dev.benchmon.detect.ChangePointDetector.MIN_SEGMENT);
            if (f.kind() != Finding.Kind.CHANGE_POINT) {
                // Only a recent change point is withdrawn (as only a recent one alerts): one past the history is not.
                o.put("recent_runs", EngineFindings.RECENT_RUNS);
            }
        }
        try {
            // the grades' bounds come from the one place they are written (Severity): SQL keeps no copy
            return handle.createQuery("SELECT alert_id, series_id, change, state"
                            + " FROM alert_record_findings(CAST(:f AS jsonb), :major, :critical)")
                    .bind("f", array.toString()).bind("major", dev.benchmon.detect.Severity.MAJOR)
                    .bind("critical", dev.benchmon.detect.Severity.CRITICAL)
                    .map((rs, ctx) -> change(rs))
                    .list();
        } catch (JdbiException e) {
            throw SqlErrors.translate(e, "findings", "recording " + findings.size() + " finding(s)");
        }
    }

    /**
     * Takes, in {@code handle}'s transaction until it ends, the lock under which the alerts of {@code seriesIds} are
     * opened, followed or made active again ({@code alerts_of_series_lock}: transaction-scoped advisory locks on 128 keys,
     * in key order), so that one transaction at a time decides whether a series' finding opens an alert. A writer takes
     * it before it locks any alert row, as {@code alert_record_findings} and {@code alert_set_state} do; nothing for none.
     */
    public static void lockSeriesAlerts(Handle handle, java.util.Collection<Integer> seriesIds) {
        if (seriesIds.isEmpty()) {
            return;
        }
        handle.createQuery("SELECT alerts_of_series_lock(CAST(:series AS integer[]))::text")
                .bind("series", seriesIds.toArray(Integer[]::new)).mapTo(String.class).one();
    }

    /**
     * Resolves the active alerts of {@code seriesIds} that an attempt a CI re-run replaced raised alone (the alert names
     * that attempt, and no counted run after it reports the alert's metric), in the caller's transaction
     * ({@code alert_resolve_replaced_attempts}). Called by a push that stored later attempts, after judging and before
     * {@link #onFindings}: the re-run is judged in the replaced attempt's place, so its verdict opens an alert of its
     * own when it still regressed, and none when it is back within noise, even when its tool wrote an earlier time than
     * the replaced attempt's (which the findings, ordered by run_at, would not resolve or follow).
     *
     * @return the alerts resolved ({@link AlertChange#RESOLVED}); empty when none
     */
    public static List<AlertChange> onReplacedAttempts(Handle handle, java.util.Collection<Integer> seriesIds) {
        if (seriesIds.isEmpty()) {
            return List.of();
        }
        try {
            return handle.createQuery("SELECT alert_id, series_id, change, state FROM alert_resolve_replaced_attempts(:series)")
                    .bind("series", seriesIds.toArray(Integer[]::new))
                    .map((rs, ctx) -> change(rs))
                    .list();
        } catch (JdbiException e) {
            throw SqlErrors.translate(e, "series", "resolving the alerts of replaced attempts");
        }
    }

    private static AlertChange change(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AlertChange(rs.getLong("alert_id"), rs.getInt("series_id"), rs.getString("change"),
                AlertState.parse("state", rs.getString("state")));
    }

    /** {@link #onFindings(Handle, List)} in a transaction of its own. */
    public List<AlertChange> record(List<Finding> findings) {
        return jdbi.inTransaction(h -> onFindings(h, findings));
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        }
    }

    /**
     * Alerts matching the filter, by state: open, acknowledged, muted, expected, then resolved; newest first (by
     * {@code opened_at}, then id) within a state. At most {@code filter.limit()}, taken in that order.
     */
    public List<Alert> list(AlertFilter filter) {
        StringBuilder where = new StringBuilder("true");
        List<String> states = filter.states().stream().map(AlertState::sqlName).toList();
        if (!states.isEmpty()) {
            where.append(" AND a.state = ANY (:states)");
        }
        if (filter.seriesId() != null) {
            where.append(" AND a.series_id = :series");
        }
        if (filter.metric() != null) {
            where.append(" AND a.metric = :metric");
        }
        // The series' names, each list bound as one array parameter (any of its names; empty: not asked)
        Map<String, List<String>> names = new java.util.LinkedHashMap<>();
        names.put("model_version", filter.models());
        names.put("dataset_version", filter.datasets());
        names.put("prompt_version", filter.prompts());
        names.put("environment", filter.environments());
        names.values().removeIf(List::isEmpty);
        if (!names.isEmpty()) {
            where.append(" AND a.series_id IN (SELECT fs.id FROM series fs WHERE true");
            names.keySet().forEach(column -> where.append(" AND fs.").append(column).append(" = ANY (:").append(column).append(")"));
            where.append(")");
        }
        String sql = read("", where.toString(), STATE_ORDER + ", a.opened_at DESC, a.id DESC", ":limit");
        return jdbi.withHandle(h -> {
            var q = h.createQuery(sql).bind("limit", filter.limit());
            if (!states.isEmpty()) {
                q.bind("states", states.toArray(String[]::new));
            }
            if (filter.seriesId() != null) {
                q.bind("series", filter.seriesId());
            }
            if (filter.metric() != null) {
                q.bind("metric", filter.metric());
            }
            names.forEach((column, values) -> q.bind(column, values.toArray(String[]::new)));
            return q.map((rs, ctx) -> alert(rs)).list();
        });
    }

    /** Alerts with these ids (any order of ids; answered newest first). */
    public List<Alert> byIds(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery(read("", "a.id = ANY (:ids)", "a.id DESC", null))
                .bind("ids", ids.toArray(Long[]::new)).map((rs, ctx) -> alert(rs)).list());
    }

    /** The alerts raised by, or still following, these runs (the run page's): open first. */
    public List<Alert> forRuns(List<Long> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery(read("",
                        "a.transaction_id = ANY (:ids) OR a.last_transaction_id = ANY (:ids)", OPEN_FIRST, null))
                .bind("ids", runs.toArray(Long[]::new)).map((rs, ctx) -> alert(rs)).list());
    }

    /**
     * A run ({@code benchmark_transactions.id}) and one of its metrics: what {@link #covering} is asked about.
     *
     * @param transactionId the run
     * @param metric        the metric of it
     */
    public record RunMetric(long transactionId, String metric) {
    }

    /**
     * {@link #covering}'s statement, bound to {@code :ids}, {@code :run_ats} and {@code :metrics} (the pairs asked, each
     * run with its run_at, as three arrays of one length). An alert's runs are those its row stores the ends of: from the
     * run it names ({@code transaction_id}) to the newest it follows ({@code last_transaction_id}) or, when later, the
     * newest the detector had it follow ({@code followed_tx}: excluding that run moves {@code last_transaction_id} back,
     * but the runs the alert followed before it stay its own), in the log's order ({@code run_at}, then id), of its
     * series and metric; both ends count also when an exclusion left them out of order. The pairs are read once, and the
     * alerts of their series and metrics found by {@code alerts_series_metric_idx}; {@code covered} is read again for
     * each alert's runs asked. Every lookup in the log names the run's run_at with its id (the asked run's from the
     * caller, an end's from the alert's row, V39), so each probes the index of one month: by id alone each probed every
     * month's (13 partitions for a year, four lookups per candidate alert).
     */
    static final String COVERING = read("asked AS MATERIALIZED (SELECT r.id, r.series_id, r.run_at, q.metric"
            + " FROM unnest(CAST(:ids AS bigint[]), CAST(:run_ats AS text[])::timestamptz[], CAST(:metrics AS text[]))"
            + " AS q(id, run_at, metric)"
            + " JOIN benchmark_log r ON r.id = q.id AND r.run_at = q.run_at), "
            + "covered AS MATERIALIZED (SELECT DISTINCT q.id AS run, x.id AS alert FROM asked q"
            + " JOIN alerts x ON x.series_id = q.series_id AND x.metric = q.metric"
            + " JOIN benchmark_log f ON f.id = x.transaction_id AND f.run_at = x.transaction_at"
            + " JOIN benchmark_log l ON l.id = x.last_transaction_id AND l.run_at = x.last_transaction_at"
            + " JOIN benchmark_log g ON g.id = x.followed_tx AND g.run_at = x.followed_at"
            + " WHERE q.id IN (x.transaction_id, x.last_transaction_id)"
            + "    OR ((q.run_at, q.id) >= (f.run_at, f.id)"
            + "        AND ((q.run_at, q.id) <= (l.run_at, l.id) OR (q.run_at, q.id) <= (g.run_at, g.id)))), ",
            "a.id IN (SELECT c.alert FROM covered c)", "a.id DESC", null,
            ", ARRAY(SELECT c.run FROM covered c WHERE c.alert = a.id ORDER BY c.run) AS covered_runs");

    /**
     * The alerts whose runs include these runs, each of the metric asked with it: of the run's series and that metric,
     * from the run the alert names to the newest it follows (or the detector had it follow, when an exclusion moved it
     * back), in the order of the runs' times ({@link #COVERING}). So a run back-filled between those two, or one the
     * alert followed before a later one, is among an alert's runs, as are its first and last; a run of the series
     * before or after them, or of another series, is not. Alerts in every state; one statement for all the pairs.
     * Each run is asked with its {@code run_at} (a verdict has it, as the /regressions page's rows do), so it is looked
     * up in its own month of the log only: by id alone it would be looked up in every month's.
     *
     * @param runs the runs and metrics asked (any order), each with its run's {@code run_at} (a run not at that time,
     *             or that does not exist, is left out of the answer)
     * @return for each pair asked that alerts include, those alerts, newest first (by id); empty when {@code runs} is
     */
    public Map<RunMetric, List<Alert>> covering(Map<RunMetric, java.time.Instant> runs) {
        Map<RunMetric, List<Alert>> out = new java.util.HashMap<>();
        if (runs.isEmpty()) {
            return out;
        }
        List<Map.Entry<RunMetric, java.time.Instant>> asked = List.copyOf(runs.entrySet());
        Long[] ids = asked.stream().map(e -> e.getKey().transactionId()).toArray(Long[]::new);
        // As ISO instants (UTC, to the microsecond): no time zone of the JVM or the session comes between.
        String[] runAts = asked.stream().map(e -> e.getValue().toString()).toArray(String[]::new);
        String[] metrics = asked.stream().map(e -> e.getKey().metric()).toArray(String[]::new);
        jdbi.useHandle(h -> h.createQuery(COVERING).bind("ids", ids).bind("run_ats", runAts).bind("metrics", metrics)
                .map((rs, ctx) -> {
                    Alert a = alert(rs);
                    for (Long run : (Long[]) rs.getArray("covered_runs").getArray()) {
                        out.computeIfAbsent(new RunMetric(run, a.metric()), k -> new ArrayList<>()).add(a);
                    }
                    return a;
                }).list());
        return out;
    }

    /**
     * {@link #forPush}'s statement, bound to {@code :ids}. The pushed runs are read once (an id without its run_at
     * probes every month's key), not once per open alert. The open arm names the pushed series as an index
     * condition: with only the {@code EXISTS}, every open alert of the database was joined to the log (1,646 open
     * alerts at 1M results: 268 ms a push, against 1 ms for the same answer). The whole condition is on the alert's
     * own columns (the run it names by {@code transaction_at}, {@code transaction_id}, which the join to the log equals),
     * so it narrows the alerts before the log is read: compared with the joined run instead, it could only be checked
     * after the join, and the generic plan of a small database hash-joined every alert to a sequential scan of every
     * month (10-15 ms a push at 50,000 results over two years, against 0.7 ms; {@code AlertReadPlanTest}).
     * {@code metrics -> metric IS NOT NULL}, not the {@code ?} operator, which JDBC would take for a parameter.
     */
    static final String FOR_PUSH = read("pushed AS MATERIALIZED (SELECT r.id, r.series_id, r.run_at, r.metrics"
            + " FROM benchmark_log r WHERE r.id = ANY (:ids)), ",
            "a.transaction_id = ANY (:ids) OR a.last_transaction_id = ANY (:ids)"
            + " OR (a.state = 'open' AND a.series_id = ANY (ARRAY(SELECT r.series_id FROM pushed r))"
            + " AND EXISTS (SELECT 1 FROM pushed r"
            + "     WHERE r.series_id = a.series_id AND r.metrics -> a.metric IS NOT NULL"
            + "     AND (r.run_at, r.id) >= (a.transaction_at, a.transaction_id)))", OPEN_FIRST, null);

    /**
     * What a push of these runs reports: the alerts they raised or that follow them ({@link #forRuns}), and
     * every open alert of their series on a metric they carry that was raised by them or an earlier run.
     * A shift that persists stays open until someone triages it, but once the engine's baseline has moved to
     * the new level no finding names the later runs, so they would not be followed; they still show it.
     * Open first.
     */
    public List<Alert> forPush(List<Long> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        // A generic plan (GenericPlans): a custom one was planned again at every push, 3-4 ms of planning against
        // 0.35-0.8 ms to run it (1,514 open alerts at 1M results; same answer).
        return jdbi.inTransaction(h -> {
            GenericPlans.forThisTransaction(h);
            return h.createQuery(FOR_PUSH).bind("ids", runs.toArray(Long[]::new)).map((rs, ctx) -> alert(rs)).list();
        });
    }

    /** One alert. */
    public Optional<Alert> find(long id) {
        return jdbi.withHandle(h -> h.createQuery(read("", "a.id = :id", "a.id", null)).bind("id", id)
                .map((rs, ctx) -> alert(rs)).findOne());
    }

    /** One alert; throws {@link NotFoundException} when there is none with this id. */
    public Alert get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("alert", "alert " + id + " not found"));
    }

    /** Every state change of an alert, oldest first (the first is its opening). */
    public List<AlertEvent> history(long alertId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + EVENT_IN_UNITS + """
                 WHERE e.alert_id = :id ORDER BY e.id""").bind("id", alertId)
                .map((rs, ctx) -> eventInUnits(rs)).list());
    }

    /**
     * The histories of several alerts in one statement (a page of alerts reads them so, not one statement a row).
     *
     * @param alertIds the alerts (any order; an id of no alert is left out of the answer)
     * @return each alert's events, oldest first ({@link #history(long)}), by alert id; empty when {@code alertIds} is
     */
    public Map<Long, List<AlertEvent>> history(java.util.Collection<Long> alertIds) {
        Map<Long, List<AlertEvent>> out = new java.util.HashMap<>();
        if (alertIds.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("SELECT " + EVENT_IN_UNITS + """
                 WHERE e.alert_id = ANY (:ids) ORDER BY e.alert_id, e.id""")
                .bind("ids", alertIds.toArray(Long[]::new)).map((rs, ctx) -> eventInUnits(rs))
                .forEach(e -> out.computeIfAbsent(e.alertId(), k -> new ArrayList<>()).add(e)));
        return out;
    }

    /**
     * For each of {@code alertIds} that is resolved or expected, the active alert (open, acknowledged or muted) of the
     * same series and metric that follows its change now ({@code alert_active_beside}, the rule {@code alert_set_state}
     * refuses by), if one does: the alert a triage menu points to instead of
     * offering what {@code alert_set_state} refuses beside it (reopening, acknowledging or muting the older one).
     *
     * @return the newer active alert's id by the older alert's id; alerts without one are left out
     */
    public Map<Long, Long> followedBy(java.util.Collection<Long> alertIds) {
        Map<Long, Long> out = new java.util.HashMap<>();
        if (alertIds.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("""
                SELECT a.id, b.id AS active
                FROM alerts a CROSS JOIN LATERAL alert_active_beside(a) b
                WHERE a.id = ANY (:ids) AND a.state IN ('resolved', 'expected')""")
                .bind("ids", alertIds.toArray(Long[]::new))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /**
     * The two events a list of alerts shows of each: its newest, and the newest a person made.
     *
     * @param newest the alert's newest event
     * @param triage the newest event a person made ({@link #latest}: not the detector's nor a severity change), or
     *               {@code null} when there is none
     */
    public record Latest(AlertEvent newest, AlertEvent triage) {
    }

    /**
     * The newest event and the newest triage of several alerts in one statement, without reading their whole
     * histories (a list page shows only these two; {@link #history(java.util.Collection)} is for a page that shows
     * every event). A triage is an event a person made: from the command line, the dashboard, the API or the toolkit,
     * a mute's or an exclusion's; the detector's own events (source {@code detector}) and severity changes (source
     * {@code severity}, by benchmon) are not.
     *
     * @param alertIds the alerts (any order; an id of no alert is left out of the answer)
     * @return each alert's two events by alert id; empty when {@code alertIds} is
     */
    public Map<Long, Latest> latest(java.util.Collection<Long> alertIds) {
        Map<Long, AlertEvent> newest = new java.util.HashMap<>();
        Map<Long, AlertEvent> triage = new java.util.HashMap<>();
        if (!alertIds.isEmpty()) {
            // DISTINCT ON walks alert_events_alert_idx (alert_id, id) backwards from each alert's newest event.
            // The alert's metric and unit joined to the two events chosen, not to every event before the choice.
            jdbi.useHandle(h -> h.createQuery("""
                    SELECT e.*, a.metric AS alert_metric, d.unit AS metric_unit
                    FROM ((SELECT DISTINCT ON (e.alert_id) false AS triage, e.id, e.alert_id, e.state, e.actor, e.comment,
                                  e.source, e.at
                           FROM alert_events e WHERE e.alert_id = ANY (:ids) ORDER BY e.alert_id, e.id DESC)
                          UNION ALL
                          (SELECT DISTINCT ON (e.alert_id) true AS triage, e.id, e.alert_id, e.state, e.actor, e.comment,
                                  e.source, e.at
                           FROM alert_events e WHERE e.alert_id = ANY (:ids) AND e.source NOT IN ('detector', 'severity')
                           ORDER BY e.alert_id, e.id DESC)) e
                    JOIN alerts a ON a.id = e.alert_id LEFT JOIN metric_definitions d ON d.name = a.metric""")
                    .bind("ids", alertIds.toArray(Long[]::new))
                    .map((rs, ctx) -> java.util.Map.entry(rs.getBoolean("triage"), eventInUnits(rs)))
                    .forEach(e -> (e.getKey() ? triage : newest).put(e.getValue().alertId(), e.getValue())));
        }
        Map<Long, Latest> out = new java.util.HashMap<>();
        newest.forEach((id, e) -> out.put(id, new Latest(e, triage.get(id))));
        return out;
    }

    /**
     * Moves an alert to {@code state}, appending who, why and from where.
     *
     * @param actor   who (required)
     * @param comment why (may be empty, except to mute: a mute needs a reason)
     * @param source  where from: api, dashboard, cli, toolkit
     * @throws NotFoundException                 when there is no such alert
     * @throws dev.benchmon.ValidationException  when the actor is blank, or the comment of a mute (naming {@code comment})
     * @throws StateConflictException            when the alert's state refuses it: acknowledging or muting a resolved
     *                                           alert, or opening, acknowledging or muting a resolved or expected one
     *                                           while a newer alert of its series and metric is active
     */
    public AlertEvent setState(long alertId, AlertState state, String actor, String comment, String source) {
        return triage(alertId, state, actor, comment, source).event();
    }

    /**
     * A state change as {@link #setState} makes it, and whether it changed anything.
     *
     * @param event        the event appended, or, when nothing changed, the stored event that set the state it has
     * @param changed      {@code false} when the alert was in that state already by a person's or the detector's
     *                     change: muted by a person, acknowledged, expected or resolved (not by an exclusion). Nothing
     *                     is appended (a second acknowledgement or mute would only repeat the first)
     * @param endedMuteIds the series mutes ended with it: a muted alert taken out of its mute (acknowledged, expected,
     *                     resolved or opened) ends those its own mute created ({@code alerts mute ID --for 7d}) that
     *                     were in force ({@link Mute#alertId()}); empty when none
     * @param alerts       the other alerts those mutes alone silenced that opened again ({@link AlertChange#OPENED}),
     *                     as on unmute; empty when none
     * @param endedHow     how the end of those mutes is worded, as their {@link Mute#endReason()} words it
     *                     ({@code marked expected}, {@code opened}, {@code acknowledged}, {@code resolved}:
     *                     {@code alert_set_state}, the one place these words are written); {@code null} when the alert
     *                     was not taken out of its mute
     * @param previous     the state the alert was in before the call; the same as the event's when nothing changed,
     *                     and when a person's change was recorded in a state the detector, an exclusion or a series
     *                     mute had put it in (a person's resolve of an alert the detector resolved)
     */
    public record Triaged(AlertEvent event, boolean changed, List<Long> endedMuteIds, List<AlertChange> alerts,
                          String endedHow, AlertState previous) {
        public Triaged {
            endedMuteIds = List.copyOf(endedMuteIds);
            alerts = List.copyOf(alerts);
        }
    }

    /**
     * {@link #setState}, saying whether it changed anything: muting an alert a person muted already, or acknowledging,
     * expecting or resolving an alert in that state already, appends nothing and answers the event that set the state
     * ({@link Triaged#changed()} false). An alert a series mute silenced is muted by
     * the person then (it stays muted when that mute ends), a change. A muted alert moved to another state ends, in
     * the same transaction, the series mutes in force that its own mute created, and the other alerts those mutes
     * alone silenced open again, as {@link #unmuteAlert} does ({@link Triaged#endedMuteIds()}, {@link Triaged#alerts()}).
     *
     * @throws NotFoundException                 when there is no such alert
     * @throws dev.benchmon.ValidationException  when the actor is blank, or the comment of a mute (naming {@code comment})
     * @throws StateConflictException            when the alert's state refuses it: acknowledging or muting a resolved
     *                                           alert, or opening, acknowledging or muting a resolved or expected one
     *                                           while a newer alert of its series and metric is active
     */
    public Triaged triage(long alertId, AlertState state, String actor, String comment, String source) {
        try {
            Triaged triaged = triaged(alertId, state, actor, comment, source);
            // Marked expected, the new level becomes its metric's baseline; taken out of expected, the reset is gone
            // and the old baseline is back (alert_set_state keeps baseline_resets so): judge the series again either way.
            boolean leftExpected = triaged.previous() == AlertState.EXPECTED && state != AlertState.EXPECTED;
            if (state == AlertState.EXPECTED || leftExpected) {
                Rejudge.afterCommit(() -> jdbi.withHandle(h -> h.createQuery("SELECT series_id FROM alerts WHERE id = :id")
                        .bind("id", alertId).mapTo(Integer.class).findOne()).ifPresent(seriesChanged::accept),
                        "alert " + alertId + (leftExpected ? " taken out of expected" : " marked expected"));
            }
            return triaged;
        } catch (JdbiException e) {
            throw SqlErrors.translate(e, "alert".equals(kindOf(e)) ? "alert" : "state", "changing alert " + alertId);
        }
    }

    /**
     * Ends the mute of a muted alert, as {@link #unmuteAlert} does; answers the event appended.
     *
     * @throws NotFoundException                when there is no such alert
     * @throws StateConflictException           when the alert is not muted
     * @throws dev.benchmon.ValidationException when the actor is blank
     */
    public AlertEvent unmute(long alertId, String actor, String comment, String source) {
        return unmuteAlert(alertId, actor, comment, source).event();
    }

    /**
     * What {@link #unmuteAlert} did.
     *
     * @param event        the event appended to the alert's history (open, or acknowledged when it was before its mute)
     * @param endedMuteIds the series mutes ended with it: those its own mute created ({@code alerts mute ID --for 7d})
     *                     that were in force; empty when none
     * @param alerts       the other alerts those mutes silenced that opened again ({@link AlertChange#OPENED}); empty
     *                     when none
     */
    public record Unmuted(AlertEvent event, List<Long> endedMuteIds, List<AlertChange> alerts) {
        public Unmuted {
            endedMuteIds = List.copyOf(endedMuteIds);
            alerts = List.copyOf(alerts);
        }
    }

    /**
     * Ends the mute of a muted alert: it goes back to acknowledged when someone had acknowledged it before its mute,
     * else it opens, with who, why and from where appended to its history. The series mutes its own mute created
     * (and nobody else's) that are in force end with it, in the same transaction, so new alerts of its metric open as
     * open again; the alerts those mutes silenced that no mute covers any more open too. Any other mute of its series
     * stays in force for later findings ({@link Annotations#unmute} ends it).
     *
     * @throws NotFoundException                when there is no such alert
     * @throws StateConflictException           when the alert is not muted
     * @throws dev.benchmon.ValidationException when the actor is blank
     */
    public Unmuted unmuteAlert(long alertId, String actor, String comment, String source) {
        try {
            return jdbi.inTransaction(h -> {
                StateRow row = h.createQuery("SELECT event_id, ended_mute_ids, alert_changes"
                                + " FROM alert_unmute(:id, :actor, :comment, :source)")
                        .bind("id", alertId).bind("actor", actor).bind("comment", comment).bind("source", source)
                        .map((rs, ctx) -> stateRow(rs))
                        .one();
                AlertEvent event = h.createQuery("SELECT e.id, e.alert_id, e.state, e.actor, e.comment, e.source, e.at"
                                + " FROM alert_events e WHERE e.id = :id").bind("id", row.eventId())
                        .map((rs, ctx) -> event(rs)).one();
                return new Unmuted(event, row.ended(), row.alerts());
            });
        } catch (JdbiException e) {
            throw SqlErrors.translate(e, "alert", "unmuting alert " + alertId);
        }
    }

    /** What {@code alert_set_state} and {@code alert_unmute} answer: the event, the mutes ended, the alerts opened. */
    private record StateRow(long eventId, List<Long> ended, List<AlertChange> alerts) {
    }

    private static StateRow stateRow(ResultSet rs) throws SQLException {
        return new StateRow(rs.getLong("event_id"), List.of((Long[]) rs.getArray("ended_mute_ids").getArray()),
                Annotations.changes(rs.getString("alert_changes")));
    }

    /** The state change {@code alert_set_state} made, with the event it appended or answered with. */
    private Triaged triaged(long alertId, AlertState state, String actor, String comment, String source) {
        return jdbi.inTransaction(h -> {
            // The event this call appended, or the stored one a change that changed nothing answers with (an alert a
            // person muted already). This call's is one that this transaction wrote (xmin: not a concurrent mute's,
            // whose event a mute that waited for its lock meets, stamped after this transaction began) and that it had
            // not written before the call (an earlier mute of the same transaction wrote the event a second one
            // answers with): newer than the alert's newest event this transaction saw before the call.
            long newestBefore = h.createQuery(
                            "SELECT coalesce(max(e.id), 0) FROM alert_events e WHERE e.alert_id = :id")
                    .bind("id", alertId).mapTo(Long.class).one();
            record SetRow(StateRow row, String endedHow, AlertState previous) {
            }
            SetRow answer = h.createQuery("SELECT event_id, ended_mute_ids, alert_changes, ended_how, previous_state"
                            + " FROM alert_set_state(:id, :state, :actor, :comment, :source)")
                    .bind("id", alertId).bind("state", state.sqlName()).bind("actor", actor).bind("comment", comment)
                    .bind("source", source)
                    .map((rs, ctx) -> new SetRow(stateRow(rs), rs.getString("ended_how"),
                            AlertState.parse("previous_state", rs.getString("previous_state"))))
                    .one();
            StateRow set = answer.row();
            record Row(AlertEvent event, boolean writtenHere) {
            }
            Row row = h.createQuery("""
                    SELECT e.id, e.alert_id, e.state, e.actor, e.comment, e.source, e.at,
                           e.xmin = pg_current_xact_id()::xid AS written_here
                    FROM alert_events e WHERE e.id = :id""").bind("id", set.eventId())
                    .map((rs, ctx) -> new Row(event(rs), rs.getBoolean("written_here"))).one();
            return new Triaged(row.event(), row.writtenHere() && set.eventId() > newestBefore, set.ended(),
                    set.alerts(), answer.endedHow(), answer.previous());
        });
    }

    /**
     * An event's columns, with its alert's metric and that metric's unit, and where they are read from (a statement
     * adds its WHERE): for {@link #eventInUnits}.
     */
    private static final String EVENT_IN_UNITS = """
            e.id, e.alert_id, e.state, e.actor, e.comment, e.source, e.at, a.metric AS alert_metric, d.unit AS metric_unit
            FROM alert_events e JOIN alerts a ON a.id = e.alert_id LEFT JOIN metric_definitions d ON d.name = a.metric
            """;

    /**
     * Where benchmon writes an event's whole text, stating the metric's values and changes without their unit. Not an
     * exclusion's ({@code annotation}): its text holds the reason a person typed, which is shown as written.
     */
    private static final java.util.Set<String> STATED_BY_BENCHMON = java.util.Set.of("detector", "severity");

    /**
     * An event read with {@link #EVENT_IN_UNITS}: a text benchmon wrote with its metric's unit after each value and
     * change it states ({@link MetricUnits#inEventText}), as the alert's own verdict and values are shown; the units
     * are added when read, so events stored before are shown with them too, and a unit defined later applies.
     */
    private static AlertEvent eventInUnits(ResultSet rs) throws SQLException {
        AlertEvent e = event(rs);
        String unit = MetricUnits.valueUnit(rs.getString("metric_unit"));
        if (unit == null || e.comment() == null || !STATED_BY_BENCHMON.contains(e.source())) {
            return e;
        }
        return new AlertEvent(e.id(), e.alertId(), e.state(), e.actor(),
                MetricUnits.inEventText(e.comment(), rs.getString("alert_metric"), unit), e.source(), e.at());
    }

    private static AlertEvent event(ResultSet rs) throws SQLException {
        return new AlertEvent(rs.getLong("id"), rs.getLong("alert_id"), AlertState.parse("state", rs.getString("state")),
                rs.getString("actor"), rs.getString("comment"), rs.getString("source"), rs.getTimestamp("at").toInstant());
    }

    private static String kindOf(JdbiException e) {
        return "P0002".equals(dev.benchmon.DatabaseException.sqlStateOf(e)) ? "alert" : "state";
    }

    /** Alerts as a Tablesaw table: one row per alert with its series, state, change and commit range. */
    public static Table toTable(List<Alert> alerts) {
        LongColumn id = LongColumn.create("id");
        StringColumn state = StringColumn.create("state");
        IntColumn seriesId = IntColumn.create("series_id");
        StringColumn series = StringColumn.create("series");
        StringColumn metric = StringColumn.create("metric");
        StringColumn kind = StringColumn.create("kind");
        StringColumn change = StringColumn.create("change");
        DoubleColumn baseline = DoubleColumn.create("baseline");
        DoubleColumn current = DoubleColumn.create("current");
        StringColumn severity = StringColumn.create("severity");
        StringColumn commits = StringColumn.create("commit_range");
        LongColumn tx = LongColumn.create("transaction_id");
        StringColumn run = StringColumn.create("run_id");
        InstantColumn opened = InstantColumn.create("opened_at");
        StringColumn verdict = StringColumn.create("verdict");
        for (Alert a : alerts) {
            id.append(a.id());
            state.append(a.state().sqlName());
            seriesId.append(a.seriesId());
            series.append(a.series());
            metric.append(a.metric());
            kind.append(a.kind());
            change.append(a.change());
            if (a.baseline() == null) baseline.appendMissing(); else baseline.append(a.baseline());
            if (a.current() == null) current.appendMissing(); else current.append(a.current());
            severity.append(a.severity());
            commits.append(a.commitRange());
            tx.append(a.transactionId());
            run.append(a.runId());
            opened.append(a.openedAt());
            verdict.append(a.verdictWithUnit()); // with the unit after its change, as the API and the pages
        }
        return Table.create("alerts", id, state, seriesId, series, metric, kind, change, baseline, current, severity,
                commits, tx, run, opened, verdict);
    }

    /**
     * The commit range of the change point that confirmed the alert ({@link Alert#changePointRange}): the alert's own
     * when the change point starts at its shift (the read joins no row then), else the stored change point's, or
     * {@code null} when there is none or its row is gone.
     */
    private static String changePointRange(ResultSet rs) throws SQLException {
        Long cp = nullableLong(rs, "change_point_tx");
        if (cp == null) {
            return null;
        }
        if (cp == rs.getLong("shift_tx")) {
            return dev.benchmon.detect.CommitRange.of(rs.getString("commit_from"), nullableLong(rs, "from_tx"),
                    rs.getString("commit_to"), cp);
        }
        Long before = nullableLong(rs, "cp_from_tx");
        return before == null ? null
                : dev.benchmon.detect.CommitRange.of(rs.getString("cp_from_commit"), before, rs.getString("cp_to_commit"), cp);
    }

    /**
     * The verdict an alert shows ({@link Alert#verdict}): the one stored at its opening, whose figures stay the
     * opening's; while the run it opened on is excluded and it names a later run of its change (annotate_run), its start
     * is worded from the run before the change to the run it names, as its commit range is
     * ({@code since commit c9..c11}, where the opening said {@code c9..c10}), and its figures are labelled the opening
     * run's: {@code f1 regression since commit c9..c11; opened on run 11 at -10.0 points (26.2 sd), excluded since: the
     * change persists from run 12} ({@link dev.benchmon.detect.ChangeSince#restated}). The page, the API, {@code alerts list}, the webhook and the
     * charts all read it here, so none names the excluded run's range while the run is left out.
     */
    private static String verdict(ResultSet rs) throws SQLException {
        String opened = rs.getString("verdict");
        Long raised = nullableLong(rs, "raised_tx");
        long named = rs.getLong("transaction_id");
        if (opened == null || raised == null || raised == named) {
            return opened;
        }
        return dev.benchmon.detect.ChangeSince.restated(opened, rs.getString("commit_from"), rs.getString("commit_to"),
                instant(rs.getTimestamp("named_at")), raised, named);
    }

    static Alert alert(ResultSet rs) throws SQLException {
        return new Alert(rs.getLong("id"), rs.getInt("series_id"), rs.getString("model_version"),
                rs.getString("dataset_version"), rs.getString("prompt_version"), rs.getString("environment"),
                rs.getString("metric"), rs.getString("kind"), rs.getLong("transaction_id"),
                rs.getLong("last_transaction_id"), rs.getString("run_id"), rs.getString("commit_from"),
                rs.getString("commit_to"), nullable(rs, "baseline"), nullable(rs, "current"), nullable(rs, "magnitude"),
                rs.getString("severity"), verdict(rs), AlertState.parse("state", rs.getString("state")),
                instant(rs.getTimestamp("opened_at")), instant(rs.getTimestamp("state_changed_at")),
                rs.getLong("shift_tx"), nullableLong(rs, "change_point_tx"), nullable(rs, "change_point_confidence"),
                nullableLong(rs, "now_tx"), nullable(rs, "now_value"), rs.getString("now_severity"),
                nullableLong(rs, "from_tx"),
                dev.benchmon.detect.MetricSemantics.isProportionUnit(rs.getString("metric"), rs.getString("metric_unit")),
                changePointRange(rs), dev.benchmon.chart.MetricUnits.valueUnit(rs.getString("metric_unit")));
    }

    private static Double nullable(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** Ids of the alerts a list of changes names, in order. */
    public static List<Long> ids(List<AlertChange> changes) {
        List<Long> out = new ArrayList<>();
        changes.forEach(c -> out.add(c.alertId()));
        return out;
    }
}
