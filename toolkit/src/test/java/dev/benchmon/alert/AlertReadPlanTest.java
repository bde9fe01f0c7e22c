package dev.benchmon.alert;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An alert read plans the monthly-partitioned log as little as it can: every month it plans costs planning time on each
 * read (a lookup over 36 months took a read's planning from 22-32 ms to 32-56 ms on PostgreSQL 15). It reads the log
 * twice, for the run the alert names (by id) and for its change now, and no more: the run before the change is a column
 * of the alert (V34), not looked up.
 */
class AlertReadPlanTest {
    private static final int MONTHS = 36;
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    @Test
    void reading_an_alert_plans_each_month_of_the_log_twice_not_again_for_the_run_before_its_change() {
        bm.jdbi().useHandle(h -> {
            h.execute("INSERT INTO series (model_version, dataset_version, prompt_version, environment) VALUES ('m', 'd', '', 'ci')");
            h.execute("SELECT benchmon_ensure_log_partitions(ARRAY(SELECT timestamptz '2024-01-15' + (g || ' months')::interval"
                    + " FROM generate_series(0, " + (MONTHS - 1) + ") g))");
            h.execute("""
                    INSERT INTO benchmark_log (series_id, idempotency_key, metrics, run_at, commit_sha)
                    SELECT 1, gen_random_uuid(), jsonb_build_object('f1', 0.9), timestamptz '2024-01-01' + (g || ' days')::interval,
                           'c' || g
                    FROM generate_series(0, 1090) g""");
            h.execute("ANALYZE benchmark_log");
        });
        long newest = bm.jdbi().withHandle(h -> h.createQuery("SELECT max(id) FROM benchmark_log").mapTo(Long.class).one());
        long id = bm.alertBook().record(List.of(new Finding(1, "f1", Finding.Kind.REGRESSION, newest, 0.9, 0.8, -0.11,
                "major", "f1 regression", null, "c1090"))).get(0).alertId();

        String plan = bm.jdbi().withHandle(h -> String.join("\n", h.createQuery("EXPLAIN "
                + Alerts.read("", "a.id = :id", "a.id", null)).bind("id", id).mapTo(String.class).list()));

        assertThat(Pattern.compile("on benchmark_log_y\\d{4}m\\d\\d\\b").matcher(plan).results().count()).as(plan)
                .isLessThanOrEqualTo(2L * MONTHS);
    }

    @Test
    void the_alerts_of_a_push_read_the_open_alerts_of_the_pushed_series_not_every_open_alert() {
        int others = 300;
        bm.jdbi().useHandle(h -> {
            h.execute("INSERT INTO series (model_version, dataset_version, prompt_version, environment)"
                    + " SELECT 'm' || g, 'd', '', 'ci' FROM generate_series(1, " + (others + 1) + ") g");
            h.execute("SELECT benchmon_ensure_log_partitions(ARRAY[timestamptz '2026-01-15'])");
            h.execute("""
                    INSERT INTO benchmark_log (series_id, idempotency_key, metrics, run_at, commit_sha)
                    SELECT s.id, gen_random_uuid(), jsonb_build_object('f1', 0.8), timestamptz '2026-01-10', 'c' || s.id
                    FROM series s""");
        });
        List<Long> raisedBy = bm.jdbi().withHandle(h -> h.createQuery("SELECT id FROM benchmark_log ORDER BY series_id")
                .mapTo(Long.class).list());
        raiseF1Regressions(raisedBy);
        long pushed = analyzedThenNextRunOfSeriesOne("2026-01-11");

        String plan = bm.jdbi().withHandle(h -> String.join("\n", h.createQuery("EXPLAIN (ANALYZE) " + Alerts.FOR_PUSH)
                .bind("ids", new Long[] {pushed}).mapTo(String.class).list()));

        assertThat(bm.alertBook().forPush(List.of(pushed))).extracting(Alert::seriesId).containsExactly(1);
        // Each scan of the alerts table is restricted to the pushed series' open alerts (besides the runs' own): a
        // condition on series_id, whether the planner filters a small table or probes its index. Without it, every
        // open alert of the database was read and joined to the log.
        assertThat(alertsScanConditions(plan)).as(plan).isNotEmpty()
                .allSatisfy(conditions -> assertThat(conditions).contains("(state = 'open'").contains("series_id = ANY"));
    }

    @Test
    void the_alerts_of_a_push_look_up_the_runs_they_name_in_their_months_under_a_generic_plan() {
        // The push answer's read ran 10.5 ms on 52,000 results over 24 months: its generic plan hash-joined the alerts
        // to a sequential scan of every month of the log.
        long pushed = twoYearsWithOpenAlertsThenARun();

        // As the push reads it (GenericPlans): a generic plan, which knows neither the runs nor their months.
        String plan = bm.jdbi().inTransaction(h -> {
            h.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            h.execute("PREPARE for_push (bigint[]) AS " + Alerts.FOR_PUSH.replace(":ids", "$1"));
            String text = String.join("\n", h.createQuery("EXPLAIN (ANALYZE) EXECUTE for_push (ARRAY[" + pushed + "]::bigint[])")
                    .mapTo(String.class).list());
            h.execute("DEALLOCATE for_push");
            return text;
        });

        assertThat(bm.alertBook().forPush(List.of(pushed))).extracting(Alert::seriesId).containsExactly(1);
        // No month of the log read whole: each run looked up by its key (a month without rows may be scanned, reading
        // nothing).
        assertThat(logRowsReadWhole(plan)).as(plan).isZero();
    }

    @Test
    void listing_the_alerts_of_a_small_database_looks_up_the_run_each_names_in_its_month() {
        // The alert list (the dashboard's, the CLI's) ran 17 ms on the same database: its plan hash-joined the 17
        // alerts to every month of the log, read whole.
        twoYearsWithOpenAlertsThenARun();

        String plan = bm.jdbi().withHandle(h -> String.join("\n", h.createQuery("EXPLAIN (ANALYZE) "
                        + Alerts.read("", "a.state = ANY (:states)", Alerts.STATE_ORDER + ", a.opened_at DESC, a.id DESC", ":limit"))
                .bind("states", new String[] {"open", "acknowledged"}).bind("limit", 100).mapTo(String.class).list()));

        assertThat(bm.alertBook().list(AlertFilter.all())).hasSize(17);
        assertThat(logRowsReadWhole(plan)).as(plan).isZero();
    }

    /**
     * A small database of two years: 100 series, a run of each every 36 hours (48,100 results over 25 months, f1 and
     * latency_ms), an open f1 alert on the newest run of each of the first 17, analyzed; then a run of series 1
     * stored as a push would. Returns that run's id.
     */
    private long twoYearsWithOpenAlertsThenARun() {
        seriesAndMonths(100, "2024-01-15", 25);
        bm.jdbi().useHandle(h -> {
            h.execute("""
                    INSERT INTO benchmark_log (series_id, idempotency_key, metrics, run_at, commit_sha)
                    SELECT s.id, gen_random_uuid(), jsonb_build_object('f1', 0.9, 'latency_ms', 120),
                           timestamptz '2024-01-01' + (g * 36 || ' hours')::interval + (s.id || ' minutes')::interval,
                           'c' || s.id || '-' || g
                    FROM series s, generate_series(0, 480) g""");
        });
        // Seventeen series hold an open alert on one of their newest runs.
        raiseF1Regressions(bm.jdbi().withHandle(h -> h.createQuery("""
                SELECT DISTINCT ON (series_id) id FROM benchmark_log WHERE series_id <= 17
                ORDER BY series_id, run_at DESC, id DESC""").mapTo(Long.class).list()));
        return analyzedThenNextRunOfSeriesOne("2025-12-30");
    }

    @Test
    void the_alerts_covering_runs_look_up_each_run_in_its_own_month_only() {
        int seriesCount = 300;
        seriesAndMonths(seriesCount, "2025-01-15", 13);
        bm.jdbi().useHandle(h -> {
            // A run of each series every ten days for thirteen months.
            h.execute("""
                    INSERT INTO benchmark_log (series_id, idempotency_key, metrics, run_at, commit_sha)
                    SELECT s.id, gen_random_uuid(), jsonb_build_object('f1', 0.9),
                           timestamptz '2025-01-01' + (g * 10 || ' days')::interval + (s.id || ' minutes')::interval,
                           'c' || s.id || '-' || g
                    FROM series s, generate_series(0, 38) g""");
            h.execute("ANALYZE benchmark_log");
        });
        // Each series' alert names a run of one of the twelve first months (by its id).
        List<Finding> findings = new java.util.ArrayList<>();
        List<Long> runsOf = bm.jdbi().withHandle(h -> h.createQuery("""
                SELECT DISTINCT ON (series_id) id FROM benchmark_log
                WHERE run_at >= timestamptz '2025-01-01' + ((series_id % 12) * 30 || ' days')::interval
                ORDER BY series_id, run_at, id""").mapTo(Long.class).list());
        for (int s = 0; s < seriesCount; s++) {
            findings.add(new Finding(s + 1, "f1", Finding.Kind.REGRESSION, runsOf.get(s), 0.9, 0.8, -0.11, "major",
                    "f1 regression", null, "c"));
        }
        bm.alertBook().record(findings);
        bm.jdbi().useHandle(h -> h.execute("ANALYZE alerts"));
        Map<Long, String> runAt = bm.jdbi().withHandle(h -> h.createQuery("SELECT id, run_at::text AS at FROM benchmark_log")
                .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("at"))).list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        List<Long> asked = runsOf.subList(0, 200);

        String plan = bm.jdbi().withHandle(h -> String.join("\n", h.createQuery("EXPLAIN (ANALYZE, BUFFERS) " + Alerts.COVERING)
                .bind("ids", asked.toArray(Long[]::new))
                .bind("run_ats", asked.stream().map(runAt::get).toArray(String[]::new))
                .bind("metrics", asked.stream().map(id -> "f1").toArray(String[]::new))
                .mapTo(String.class).list()));

        Map<Alerts.RunMetric, java.time.Instant> pairs = new java.util.HashMap<>();
        bm.jdbi().useHandle(h -> h.createQuery("SELECT id, run_at FROM benchmark_log WHERE id = ANY (:ids)")
                .bind("ids", asked.toArray(Long[]::new))
                .map((rs, ctx) -> pairs.put(new Alerts.RunMetric(rs.getLong("id"), "f1"),
                        rs.getObject("run_at", java.time.OffsetDateTime.class).toInstant())).list());
        assertThat(bm.alertBook().covering(pairs)).hasSize(200);
        // At most five lookups of a run by its key per asked run (the run, its alert's three ends, and the run the alert
        // names, read with it), each in one month's index; by id alone each was made in all 13 months' (10,400 scans).
        assertThat(logIndexScans(plan)).as(plan).isLessThanOrEqualTo(5L * asked.size());
    }

    /** How many times a plan looked a run up by its key in a month of the log (the loops of each such scan, summed). */
    private static long logIndexScans(String plan) {
        Pattern scan = Pattern.compile("Scan using benchmark_log_y\\d{4}m\\d\\d_pkey on .*loops=(\\d+)\\)");
        return plan.lines().map(scan::matcher).filter(java.util.regex.Matcher::find)
                .mapToLong(m -> Long.parseLong(m.group(1))).sum();
    }

    /** An open f1 regression alert on each run, of series 1, 2, ... in turn. */
    private void raiseF1Regressions(List<Long> runs) {
        List<Finding> findings = new java.util.ArrayList<>();
        for (int s = 0; s < runs.size(); s++) {
            findings.add(new Finding(s + 1, "f1", Finding.Kind.REGRESSION, runs.get(s), 0.9, 0.8, -0.11, "major",
                    "f1 regression", null, "c" + (s + 1)));
        }
        bm.alertBook().record(findings);
    }

    /** Analyzes the database, then stores a run of series 1 at {@code runAt} (f1 0.8), as a push would; its id. */
    private long analyzedThenNextRunOfSeriesOne(String runAt) {
        return bm.jdbi().withHandle(h -> {
            h.execute("ANALYZE");
            return h.createQuery("INSERT INTO benchmark_log (series_id, idempotency_key, metrics, run_at, commit_sha)"
                    + " VALUES (1, gen_random_uuid(), '{\"f1\": 0.8}', CAST(:at AS timestamptz), 'next') RETURNING id")
                    .bind("at", runAt).mapTo(Long.class).one();
        });
    }

    /** Series m1..m{count} (dataset d, environment ci) and the log's months from the one of {@code firstDay}. */
    private void seriesAndMonths(int count, String firstDay, int months) {
        bm.jdbi().useHandle(h -> {
            h.execute("INSERT INTO series (model_version, dataset_version, prompt_version, environment)"
                    + " SELECT 'm' || g, 'd', '', 'ci' FROM generate_series(1, " + count + ") g");
            h.execute("SELECT benchmon_ensure_log_partitions(ARRAY(SELECT timestamptz '" + firstDay + "' + (g || ' months')::interval"
                    + " FROM generate_series(0, " + (months - 1) + ") g))");
        });
    }

    /**
     * How many rows sequential scans of months of the log read, in all: of each such scan, the rows it returned and those
     * its filter removed (both per loop in EXPLAIN ANALYZE), times its loops.
     */
    private static long logRowsReadWhole(String plan) {
        Pattern scan = Pattern.compile("Seq Scan on benchmark_log_y\\d{4}m\\d\\d .*actual time=\\S+ rows=(\\d+) loops=(\\d+)\\)");
        Pattern removed = Pattern.compile("Rows Removed by Filter: (\\d+)");
        String[] lines = plan.split("\n");
        long read = 0;
        for (int i = 0; i < lines.length; i++) {
            java.util.regex.Matcher m = scan.matcher(lines[i]);
            if (!m.find()) {
                continue;
            }
            long rows = Long.parseLong(m.group(1));
            for (String detail : detailLines(lines, i)) {
                java.util.regex.Matcher r = removed.matcher(detail);
                if (r.find()) {
                    rows += Long.parseLong(r.group(1));
                }
            }
            read += rows * Long.parseLong(m.group(2));
        }
        return read;
    }

    /** For each scan of the alerts table in a plan, its condition lines (Filter, Index Cond, Recheck Cond) joined. */
    private static List<String> alertsScanConditions(String plan) {
        Pattern scan = Pattern.compile("(?:Seq Scan|Bitmap Heap Scan|Index Scan using \\S+) on alerts ");
        String[] lines = plan.split("\n");
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (!scan.matcher(lines[i]).find()) {
                continue;
            }
            StringBuilder conditions = new StringBuilder();
            for (String detail : detailLines(lines, i)) {
                if (detail.contains("Cond:") || detail.contains("Filter:")) {
                    conditions.append(detail.trim()).append('\n');
                }
            }
            out.add(conditions.toString());
        }
        return out;
    }

    /** The detail lines of the plan node at {@code lines[node]}: those that follow it until the next node ("->"). */
    private static List<String> detailLines(String[] lines, int node) {
        List<String> out = new java.util.ArrayList<>();
        for (int j = node + 1; j < lines.length && !lines[j].contains("->"); j++) {
            out.add(lines[j]);
        }
        return out;
    }
}
