package dev.benchmon.alert;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Benchmon#importAlerting} raises the alerts a push of the same runs raises: from each touched series' newest
 * run as the engine judged it once, after the load, with the alert memory from before the load (the verdicts it
 * stored), as a push's runs are judged. Judged a second time, the run would read the memory its own verdicts just
 * stored: a shift they report for the first time would read as already alerted. {@link Benchmon#alertOnNewestRuns}
 * raises alerts from the same stored verdicts, so after an import whose alerting step failed, or a load without
 * alerting, it opens what the import opens.
 */
class ImportAlertsAsPushTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final double[] QUIET = {0.90, 0.91, 0.89, 0.905, 0.895, 0.90, 0.91, 0.89, 0.90, 0.895, 0.905};

    /** Runs of series {@code model} (f1), hourly from T0; run i has commit {@code c<i>} and run id {@code model-i}. */
    private static List<BenchmarkResult> series(String model, double[] f1) {
        List<BenchmarkResult> out = new ArrayList<>();
        for (int i = 0; i < f1.length; i++) {
            out.add(BenchmarkResult.builder(model, "d").environment("ci").runAt(T0.plusSeconds(i * 3600L))
                    .commitSha("c" + i).runId(model + "-" + i).metric("f1", f1[i]).build());
        }
        return out;
    }

    /** {@code runs} quiet runs about 0.90, the last {@code since} of them moved by {@code step}. */
    private static double[] stepped(int runs, int since, double step) {
        double[] f1 = new double[runs];
        for (int i = 0; i < runs; i++) {
            f1[i] = QUIET[i % QUIET.length] + (i >= runs - since ? step : 0);
        }
        return f1;
    }

    /** Every alert as a line naming what it says, with no id or transaction id (each database numbers its own). */
    private static List<String> alerts(Benchmon bm) {
        return bm.alertBook().list(AlertFilter.all()).stream()
                .map(a -> String.join(" | ", a.series(), a.metric(), a.kind(), a.state().toString(), a.runId(),
                        a.commitRange(), String.valueOf(a.baseline()), String.valueOf(a.current()),
                        String.valueOf(a.magnitude()), a.severity(), a.verdict(),
                        String.valueOf(a.changePointTx() != null && a.changePointTx() == a.shiftTx()),
                        String.valueOf(a.changePointRange())))
                .sorted().toList();
    }

    /** The alerts of {@code results} pushed series by series (one push each, as `benchmon push` of a series' file). */
    private static List<String> pushed(List<BenchmarkResult> results) {
        try (Benchmon bm = TestDatabases.fresh()) {
            Map<String, List<BenchmarkResult>> bySeries = new LinkedHashMap<>();
            results.forEach(r -> bySeries.computeIfAbsent(r.series(), s -> new ArrayList<>()).add(r));
            bySeries.values().forEach(runs -> bm.recordJudged(runs, Map.of(), DetectionOverrides.NONE));
            return alerts(bm);
        }
    }

    private static Benchmon.Imported load(Benchmon bm, List<BenchmarkResult> results) {
        return bm.importAlerting(results.iterator(), Map.of(), n -> { }, o -> { });
    }

    @Test
    void a_shift_five_runs_back_that_its_change_point_reports_opens_the_regression_alert_a_push_opens() {
        // Within noise of its new level now: the engine reports the shift by its change point, not yet alerted.
        List<BenchmarkResult> runs = series("m", stepped(24, 5, -0.06));
        List<String> byPush = pushed(runs);

        try (Benchmon bm = TestDatabases.fresh()) {
            Benchmon.Imported imported = load(bm, runs);

            // opened by the verdict, then confirmed by the change point of its shift: one alert, as a push records it
            assertThat(imported.alerts()).extracting(AlertChange::change).containsExactly("opened", "confirmed");
            assertThat(bm.alertBook().list(AlertFilter.all())).singleElement().satisfies(a -> {
                assertThat(a.kind()).isEqualTo("regression");
                assertThat(a.commitRange()).isEqualTo("c18..c19");
                assertThat(a.changePointTx()).isEqualTo(a.shiftTx()); // confirmed by its change point
                assertThat(a.verdict()).startsWith("f1 regression: ").endsWith("since commit c18..c19 (change point)");
            });
            assertThat(alerts(bm)).isEqualTo(byPush);
        }
    }

    /**
     * 32 series: a step down or up, 1 to 8 runs before the newest, small to large: the per-run test, the change point's
     * report, or a shift long enough that only the change point alerts.
     */
    private static List<BenchmarkResult> stepShapes() {
        List<BenchmarkResult> runs = new ArrayList<>();
        int n = 0;
        for (int since = 1; since <= 8; since++) {
            for (double step : new double[]{-0.03, -0.06, -0.12, 0.06}) {
                runs.addAll(series("s" + n++, stepped(24, since, step)));
            }
        }
        return runs;
    }

    /** What the alert changes say, sorted: the change and the state it left (alert ids differ between databases). */
    private static List<String> changes(List<AlertChange> changes) {
        return changes.stream().map(c -> c.change() + " " + c.state()).sorted().toList();
    }

    /** The database refuses to open an alert (as a lost connection would fail the alerting step), until allowed. */
    private static void refuseAlerts(Benchmon bm) {
        bm.jdbi().useHandle(h -> {
            h.execute("CREATE FUNCTION refuse_alert() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN RAISE EXCEPTION 'alerts are refused by the test'; END $$");
            h.execute("CREATE TRIGGER refuse_alert BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION refuse_alert()");
        });
    }

    private static void allowAlerts(Benchmon bm) {
        bm.jdbi().useHandle(h -> h.execute("DROP TRIGGER refuse_alert ON alerts"));
    }

    @Test
    void every_series_opens_on_import_what_a_push_of_its_runs_opens() {
        List<BenchmarkResult> runs = stepShapes();
        List<String> byPush = pushed(runs);

        try (Benchmon bm = TestDatabases.fresh()) {
            load(bm, runs);

            assertThat(byPush).hasSizeGreaterThan(8);
            assertThat(alerts(bm)).isEqualTo(byPush);
        }
    }

    @Test
    void alerting_on_the_newest_runs_after_an_import_changes_nothing() {
        List<BenchmarkResult> runs = new ArrayList<>(series("m", stepped(24, 5, -0.06)));
        runs.addAll(series("n", stepped(24, 1, -0.12)));
        try (Benchmon bm = TestDatabases.fresh()) {
            assertThat(load(bm, runs).alerts()).filteredOn(c -> c.change().equals("opened")).hasSize(2);
            List<String> opened = alerts(bm);

            assertThat(bm.alertOnNewestRuns()).isEmpty();
            assertThat(alerts(bm)).isEqualTo(opened);
        }
    }

    @Test
    void after_the_alerting_step_of_an_import_failed_alerting_on_the_newest_runs_opens_what_the_import_would_have_opened() {
        List<BenchmarkResult> runs = stepShapes();
        List<String> byImport;
        List<String> importChanges;
        try (Benchmon bm = TestDatabases.fresh()) {
            importChanges = changes(load(bm, runs).alerts());
            byImport = alerts(bm);
        }
        // a shift reported by its change point (a regression alert confirmed by it) and one only a change point alerts
        assertThat(byImport).anyMatch(a -> a.contains(" | regression | ") && a.contains("(change point) | true | "))
                .anyMatch(a -> a.contains(" | change_point | "));

        try (Benchmon bm = TestDatabases.fresh()) {
            refuseAlerts(bm);
            assertThatThrownBy(() -> load(bm, runs)).isInstanceOf(Benchmon.AlertingFailedException.class)
                    .hasMessageContaining("alerts are refused by the test");
            assertThat(alerts(bm)).isEmpty(); // the step is one transaction: no alert changed
            allowAlerts(bm);

            List<AlertChange> later = bm.alertOnNewestRuns();

            assertThat(alerts(bm)).isEqualTo(byImport);
            assertThat(changes(later)).isEqualTo(importChanges);
        }
    }

    @Test
    void a_stored_regression_of_a_metric_whose_direction_was_defined_again_since_opens_no_alert() {
        // f1 (higher is better) drops on the newest run: the import stores a regression, but its alerting step fails
        List<BenchmarkResult> runs = series("m", stepped(24, 1, -0.12));
        try (Benchmon bm = TestDatabases.fresh()) {
            refuseAlerts(bm);
            assertThatThrownBy(() -> load(bm, runs)).isInstanceOf(Benchmon.AlertingFailedException.class);
            allowAlerts(bm);
            // lower is better now: the same drop is an improvement (no stored verdict is recomputed by this)
            bm.defineMetric("f1", dev.benchmon.MetricDirection.LOWER_IS_BETTER, null, null);

            List<AlertChange> later = bm.alertOnNewestRuns();

            assertThat(later).isEmpty();
            assertThat(alerts(bm)).isEmpty();
        }
    }

    @Test
    void alerting_on_the_newest_runs_of_a_load_without_alerting_opens_what_an_import_opens() {
        // the demo's way: history loaded in bulk (importAll alerts on nothing), then its alerts
        List<BenchmarkResult> runs = stepShapes();
        List<String> byImport;
        try (Benchmon bm = TestDatabases.fresh()) {
            load(bm, runs);
            byImport = alerts(bm);
        }
        try (Benchmon bm = TestDatabases.fresh()) {
            bm.importAll(runs, n -> { });
            assertThat(alerts(bm)).isEmpty();

            bm.alertOnNewestRuns();

            assertThat(alerts(bm)).isEqualTo(byImport);
        }
    }

    @Test
    void a_newest_run_excluded_after_the_detection_pass_judged_it_opens_no_alert() {
        // The alerting step reads verdicts the detection pass stored in earlier transactions (minutes earlier at 10M
        // results): an exclusion committed in between must not have its run alerted on. The test's trigger excludes
        // each judged run as its verdict is stored, as a person excluding it right after the pass would.
        try (Benchmon bm = TestDatabases.fresh()) {
            load(bm, series("w", stepped(24, 0, 0))); // a quiet history, before the trigger
            bm.jdbi().useHandle(h -> {
                h.execute("CREATE FUNCTION exclude_judged() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO excluded_runs (transaction_id, series_id, reason, actor) "
                        + "VALUES (NEW.transaction_id, NEW.series_id, 'bad run', 'ana') ON CONFLICT DO NOTHING; "
                        + "RETURN NULL; END $$");
                h.execute("CREATE TRIGGER exclude_judged AFTER INSERT OR UPDATE ON detection_verdicts "
                        + "FOR EACH ROW EXECUTE FUNCTION exclude_judged()");
            });
            BenchmarkResult drop = BenchmarkResult.builder("w", "d").environment("ci").runAt(T0.plusSeconds(24 * 3600L))
                    .commitSha("c24").runId("w-24").metric("f1", 0.60).build();

            Benchmon.Imported imported = load(bm, List.of(drop));

            assertThat(imported.alerts()).isEmpty();
            assertThat(alerts(bm)).isEmpty();
        }
    }
}
