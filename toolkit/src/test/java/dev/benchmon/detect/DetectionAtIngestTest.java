package dev.benchmon.detect;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine as results arrive: verdicts per metric, stored for the series touched. */
class DetectionAtIngestTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
    }

    private static BenchmarkResult run(String model, String day, Map<String, Double> metrics) {
        BenchmarkResult.Builder b = BenchmarkResult.builder(model, "d").environment("ci").runAt(Instant.parse(day))
                .commitSha(Integer.toHexString(day.hashCode()) + "0000000");
        metrics.forEach(b::metric);
        return b.build();
    }

    private static MetricVerdict push(BenchmarkResult r, String metric) {
        Benchmon.Recorded rec = bm.recordJudged(List.of(r), Map.of(), DetectionOverrides.NONE);
        return rec.verdicts().get(0).metrics().stream().filter(m -> m.metric().equals(metric)).findFirst().orElseThrow();
    }

    private static MetricVerdict series(String model, String metric, double[] values) {
        MetricVerdict last = null;
        for (int i = 0; i < values.length; i++) {
            last = push(run(model, String.format("2026-11-%02dT00:00:00Z", i + 1), Map.of(metric, values[i])), metric);
        }
        return last;
    }

    @Test
    void the_history_load_reads_each_series_alert_memory_once_not_once_per_run() {
        series("load-shape-a", "f1", new double[] {0.9, 0.91, 0.9, 0.89, 0.9, 0.91, 0.9, 0.7});
        series("load-shape-b", "f1", new double[] {0.8, 0.81, 0.8, 0.79, 0.8, 0.81});
        List<Integer> ids = bm.jdbi().withHandle(h -> h.createQuery(
                "SELECT id FROM series WHERE model_version LIKE 'load-shape-%'").mapTo(Integer.class).list());
        String plan = bm.jdbi().withHandle(h -> String.join("\n", h.createQuery("EXPLAIN (ANALYZE, COSTS OFF) "
                        + DetectionService.LOAD_SQL).bind("ids", ids.toArray(Integer[]::new)).bind("txs", new Long[0])
                .mapTo(String.class).list()));
        // 14 runs of 2 series: each per-series lookup runs twice (the change points' ran 14 times as a select-list subquery).
        assertThat(plan).containsPattern("Scan (using \\S+ )?on alerts[^\\n]*loops=2\\)")
                .containsPattern("Scan (using \\S+ )?on detection_change_points[^\\n]*loops=2\\)");
    }

    @Test
    void a_stored_run_judged_again_reads_no_month_of_the_log_after_its_own() {
        series("until-shape", "f1", new double[] {0.9, 0.91, 0.9}); // November
        push(run("until-shape", "2026-12-01T00:00:00Z", Map.of("f1", 0.9)), "f1"); // a later month
        var run = bm.jdbi().withHandle(h -> h.createQuery("""
                        SELECT t.series_id, t.id, t.run_at FROM benchmark_log t JOIN series s ON s.id = t.series_id
                        WHERE s.model_version = 'until-shape' AND t.run_at = '2026-11-02T00:00:00Z'""")
                .mapToMap().one());
        String plan = bm.jdbi().withHandle(h -> String.join("\n", h.createQuery("EXPLAIN (ANALYZE, COSTS OFF) "
                        + DetectionService.LOAD_UNTIL_SQL).bind("ids", new Integer[] {(Integer) run.get("series_id")})
                .bind("txs", new Long[0]).bind("until", (Long) run.get("id")).bind("until_at", run.get("run_at"))
                .mapTo(String.class).list()));

        // The history (alias t) reads November and before; December is not even probed by id (the reset lookup's
        // join by id and run_at names it, never executed when no alert was marked expected).
        assertThat(plan).containsPattern("on benchmark_log_y2026m11 t(_\\d+)?\\b")
                .doesNotContainPattern("on benchmark_log_y2026m12 [tu](_\\d+)?\\b");
        assertThat(bm.detection().judgeStoredRun((Integer) run.get("series_id"),
                ((java.sql.Timestamp) run.get("run_at")).toInstant(), (Long) run.get("id")))
                .hasValueSatisfying(v -> assertThat(v.metrics()).singleElement()
                        .satisfies(mv -> assertThat(mv.judgement().baselineRuns()).isEqualTo(1)));
    }

    @Test
    void a_flaky_run_does_not_hide_a_real_slowdown_pushed_after_it() {
        // 20 runs of latency about 200 ms (CV 5%), one flaky run at 400 ms, two back at the level, then +65%.
        java.util.Random noise = new java.util.Random(7);
        double[] values = new double[24];
        for (int i = 0; i < values.length; i++) {
            values[i] = 200 * (1 + 0.05 * noise.nextGaussian());
        }
        values[20] = 400;
        values[23] = 330;

        MetricVerdict v = series("flaky-model", "latency_ms", values);

        assertThat(v.judgement().outcome()).isEqualTo(Outcome.REGRESSION);
        assertThat(v.judgement().alert()).isTrue();
        assertThat(v.judgement().sd()).as("the noise sd, in ms: about 5% of 200, not the flaky run's jump")
                .isLessThan(20);
        assertThat(v.failsCi(true)).isTrue();
    }

    /** A stored run: its series, id and run_at. */
    private record StoredRun(int seriesId, long id, Instant runAt) {
        /** What the run page shows of it ({@link DetectionService#judgeStoredRun}). */
        java.util.Optional<RunVerdicts> judgedAgain() {
            return bm.detection().judgeStoredRun(seriesId, runAt, id);
        }
    }

    /** The newest run of model {@code model}'s series (one series per model in these tests). */
    private static StoredRun newestRun(String model) {
        return bm.jdbi().withHandle(h -> h.createQuery("""
                        SELECT t.series_id, t.id, t.run_at FROM benchmark_log t JOIN series s ON s.id = t.series_id
                        WHERE s.model_version = :model ORDER BY t.run_at DESC LIMIT 1""")
                .bind("model", model)
                .map((rs, ctx) -> new StoredRun(rs.getInt("series_id"), rs.getLong("id"), rs.getTimestamp("run_at").toInstant()))
                .one());
    }

    @Test
    void a_stored_run_judged_again_after_its_metric_was_defined_again_tells_the_verdict_under_the_new_definition() {
        bm.defineMetrics(new MetricDefinition("redefined_zorbs", MetricDirection.LOWER_IS_BETTER, "count", null, null));
        assertThat(series("redefined-model", "redefined_zorbs", new double[] {5, 5.01, 4.99, 5, 9}).judgement().outcome())
                .isEqualTo(Outcome.REGRESSION);
        bm.defineMetrics(new MetricDefinition("redefined_zorbs", MetricDirection.HIGHER_IS_BETTER, "count", null, null));
        StoredRun run = newestRun("redefined-model");

        // The stored verdict (a regression, judged while lower was better) is not replayed: the run page tells what the
        // alerts after the new definition tell (newestAsStored), an improvement.
        assertThat(run.judgedAgain())
                .hasValueSatisfying(v -> assertThat(v.metrics()).singleElement()
                        .satisfies(mv -> assertThat(mv.judgement().outcome()).isEqualTo(Outcome.IMPROVEMENT)));
        List<RunVerdicts> newest = new java.util.ArrayList<>();
        bm.jdbi().useHandle(h -> bm.detection().newestAsStored(h, List.of(run.seriesId()), newest::addAll));
        assertThat(newest).singleElement().satisfies(v -> assertThat(v.metrics()).singleElement()
                .satisfies(mv -> assertThat(mv.judgement().outcome()).isEqualTo(Outcome.IMPROVEMENT)));
    }

    @Test
    void a_stored_run_judged_again_after_its_metric_was_defined_as_none_is_not_judged() {
        bm.defineMetrics(new MetricDefinition("silenced_zorbs", MetricDirection.LOWER_IS_BETTER, "count", null, null));
        series("silenced-model", "silenced_zorbs", new double[] {5, 5.01, 4.99, 5, 9});
        bm.defineMetrics(MetricDefinition.of("silenced_zorbs", MetricDirection.NONE));
        StoredRun run = newestRun("silenced-model");

        assertThat(run.judgedAgain())
                .hasValueSatisfying(v -> assertThat(v.metrics()).singleElement()
                        .satisfies(mv -> assertThat(mv.judgement().outcome()).isEqualTo(Outcome.NOT_JUDGED)));
    }

    @Test
    void a_stored_run_judged_again_keeps_its_stored_verdict_while_its_metric_is_defined_as_it_was() {
        bm.defineMetrics(new MetricDefinition("kept_zorbs", MetricDirection.LOWER_IS_BETTER, "count", null, null));
        series("kept-model", "kept_zorbs", new double[] {5, 5.01, 4.99, 5, 9});
        StoredRun run = newestRun("kept-model");
        // The stored verdict is told, not a judgement now (which could differ: the alert memory kept is the one after
        // the run). Its explanation is marked here, so that the test tells which of the two the page got.
        bm.jdbi().useHandle(h -> h.createUpdate("UPDATE detection_verdicts SET explanation = 'as stored' WHERE transaction_id = :id")
                .bind("id", run.id()).execute());

        assertThat(run.judgedAgain())
                .hasValueSatisfying(v -> assertThat(v.metrics()).singleElement().satisfies(mv -> {
                    assertThat(mv.judgement().outcome()).isEqualTo(Outcome.REGRESSION);
                    assertThat(mv.judgement().text()).isEqualTo("as stored");
                }));
    }

    /**
     * The plan_cache_mode a transaction had before the push's judgement (which plans its own statements generically),
     * read on the same transaction after it.
     */
    private static String planCacheModeAfterJudging(List<dev.benchmon.RecordOutcome> written) {
        return bm.jdbi().inTransaction(h -> {
            h.execute("SET LOCAL plan_cache_mode = force_custom_plan");
            bm.detection().judgeIngest(h, written);
            return h.createQuery("SELECT current_setting('plan_cache_mode')").mapTo(String.class).one();
        });
    }

    @Test
    void a_judgement_that_stores_verdicts_puts_the_transactions_plan_cache_mode_back() {
        // The mode is put back by the store's own statement.
        dev.benchmon.RecordOutcome written = bm.record(run("plan-mode", "2026-11-01T00:00:00Z", Map.of("f1", 0.9)));

        assertThat(planCacheModeAfterJudging(List.of(written))).isEqualTo("force_custom_plan");
    }

    @Test
    void a_judgement_of_nothing_puts_the_transactions_plan_cache_mode_back() {
        // Nothing to store: the mode is put back by a statement of its own.
        assertThat(planCacheModeAfterJudging(List.of())).isEqualTo("force_custom_plan");
    }

    @Test
    void a_lower_wer_is_an_improvement_not_a_regression() {
        MetricVerdict v = series("wer-model", "eval_wer", new double[] {24.9, 24.88, 24.87, 24.88, 20.10});
        assertThat(v.judgement().outcome()).isEqualTo(Outcome.IMPROVEMENT);
        assertThat(v.failsCi(true)).isFalse();
    }

    @Test
    void a_37_percent_worse_rmsd_is_a_regression() {
        MetricVerdict v = series("rmsd-model", "rmsd", new double[] {1.00, 1.01, 0.99, 1.00, 1.37});
        assertThat(v.judgement().outcome()).isEqualTo(Outcome.REGRESSION);
        assertThat(v.failsCi(false)).isTrue();
    }

    @Test
    void more_memory_bandwidth_is_an_improvement() {
        MetricVerdict v = series("bw-model", "memory_bandwidth_gbps", new double[] {410, 411, 409, 410, 412, 408, 410, 411, 409, 460});
        assertThat(v.semantics().direction()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(v.judgement().outcome()).isEqualTo(Outcome.IMPROVEMENT);
    }

    @Test
    void a_change_of_a_metric_of_unknown_direction_never_fails_ci_and_says_how_to_declare_it() {
        MetricVerdict v = series("unknown-model", "frobnication", new double[] {5, 5.01, 4.99, 5, 9});
        assertThat(v.judgement().outcome()).isEqualTo(Outcome.CHANGED_DIRECTION_UNKNOWN);
        assertThat(v.failsCi(true)).isFalse();
        assertThat(v.text()).contains("changed (direction unknown)").contains("benchmon metrics define frobnication --direction");
    }

    @Test
    void a_declared_direction_decides() {
        bm.defineMetrics(new MetricDefinition("zorbs", MetricDirection.LOWER_IS_BETTER, "count", null, null));
        MetricVerdict v = series("declared-model", "zorbs", new double[] {5, 5.01, 4.99, 5, 9});
        assertThat(v.judgement().outcome()).isEqualTo(Outcome.REGRESSION);
    }

    @Test
    void a_metric_declared_none_is_never_judged() {
        bm.defineMetrics(MetricDefinition.of("warmup_steps", MetricDirection.NONE));
        MetricVerdict v = series("none-model", "warmup_steps", new double[] {100, 100, 100, 100, 900});
        assertThat(v.judgement().outcome()).isEqualTo(Outcome.NOT_JUDGED);
        assertThat(v.failsCi(true)).isFalse();
    }

    @Test
    void a_late_result_is_judged_against_the_runs_before_it_and_does_not_hide_the_next_regression() {
        String[] days = {"21", "22", "24", "25", "26"};
        double[] f1 = {0.90, 0.90, 0.90, 0.90, 0.88};
        for (int i = 0; i < days.length; i++) {
            push(run("late-model", "2026-11-" + days[i] + "T00:00:00Z", Map.of("f1", f1[i])), "f1");
        }
        Benchmon.Recorded late = bm.recordJudged(List.of(run("late-model", "2026-11-23T02:00:00Z", Map.of("f1", 0.50))),
                Map.of(), DetectionOverrides.NONE);
        RunVerdicts lateVerdicts = late.verdicts().get(0);
        assertThat(lateVerdicts.late()).isTrue();
        assertThat(lateVerdicts.metrics().get(0).judgement().outcome()).isEqualTo(Outcome.REGRESSION);
        assertThat(lateVerdicts.metrics().get(0).judgement().baselineRuns()).isEqualTo(2);

        MetricVerdict next = push(run("late-model", "2026-11-27T00:00:00Z", Map.of("f1", 0.84)), "f1");
        assertThat(next.judgement().outcome()).isEqualTo(Outcome.REGRESSION);
    }

    @Test
    void a_metric_missing_from_the_newest_run_is_reported_missing() {
        push(run("missing-model", "2026-11-01T00:00:00Z", Map.of("f1", 0.9, "recall", 0.88)), "f1");
        Benchmon.Recorded r = bm.recordJudged(List.of(run("missing-model", "2026-11-02T00:00:00Z", Map.of("f1", 0.9))),
                Map.of(), DetectionOverrides.NONE);
        MetricVerdict recall = r.verdicts().get(0).metrics().stream().filter(m -> m.metric().equals("recall")).findFirst().orElseThrow();
        assertThat(recall.judgement().outcome()).isEqualTo(Outcome.MISSING);
        assertThat(r.verdicts().get(0).failsCi(false)).isFalse();
        assertThat(r.verdicts().get(0).failsCi(true)).isTrue();
    }

    /** The judgement of accuracy in a run of {@code model} reporting {@code then} after one reporting accuracy and f1. */
    private MetricJudgement accuracyAfter(String model, Map<String, Double> then) {
        push(run(model, "2026-11-01T00:00:00Z", Map.of("accuracy", 0.9, "f1", 0.8)), "f1");
        Benchmon.Recorded r = bm.recordJudged(List.of(run(model, "2026-11-02T00:00:00Z", then)), Map.of(),
                DetectionOverrides.NONE);
        return r.verdicts().get(0).metrics().stream().filter(m -> m.metric().equals("accuracy")).findFirst()
                .orElseThrow().judgement();
    }

    @Test
    void a_missing_metric_names_the_new_metric_of_a_close_name_as_maybe_the_same_metric_renamed() {
        MetricJudgement accuracy = accuracyAfter("renamed-model", Map.of("acuracy", 0.9, "f1", 0.8));

        assertThat(accuracy.outcome()).isEqualTo(Outcome.MISSING);
        assertThat(accuracy.text()).isEqualTo("the previous run reported accuracy and this one does not "
                + "(this run reports acuracy: the same metric under another name?)");
    }

    @Test
    void a_missing_metric_is_not_said_renamed_to_a_sibling_that_differs_in_its_digits() {
        push(run("sibling-model", "2026-11-01T00:00:00Z", Map.of("rouge1", 0.4, "f1", 0.8)), "f1");
        Benchmon.Recorded r = bm.recordJudged(List.of(run("sibling-model", "2026-11-02T00:00:00Z",
                Map.of("rouge2", 0.2, "f1", 0.8))), Map.of(), DetectionOverrides.NONE);

        assertThat(r.verdicts().get(0).metrics().stream().filter(m -> m.metric().equals("rouge1")).findFirst()
                .orElseThrow().judgement().text()).isEqualTo("the previous run reported rouge1 and this one does not");
    }

    @Test
    void a_missing_metric_with_no_new_metric_of_a_close_name_says_only_that_it_is_missing() {
        MetricJudgement accuracy = accuracyAfter("dropped-model", Map.of("f1", 0.8, "latency_ms", 12.0));

        assertThat(accuracy.text()).isEqualTo("the previous run reported accuracy and this one does not");
    }

    @Test
    void a_stored_missing_verdict_reads_back_with_no_current_value_not_zero() {
        push(run("missing-read", "2026-11-01T00:00:00Z", Map.of("f1", 0.9, "recall", 0.88)), "f1");
        push(run("missing-read", "2026-11-02T00:00:00Z", Map.of("f1", 0.9)), "f1");

        tech.tablesaw.api.Table t = bm.detectRegressions("missing-read");
        int recall = t.stringColumn("metric").indexOf("recall");

        assertThat(t.stringColumn("outcome").get(recall)).isEqualTo("missing");
        assertThat(t.doubleColumn("baseline").get(recall)).isEqualTo(0.88);
        assertThat(t.doubleColumn("current").isMissing(recall)).as(t.print()).isTrue();
    }

    @Test
    void a_reported_stderr_widens_the_noise_band() {
        double[] values = {0.900, 0.901, 0.899, 0.900, 0.901, 0.899, 0.900, 0.901, 0.899, 0.900};
        for (int i = 0; i < values.length; i++) {
            push(run("se-model", String.format("2026-10-%02dT00:00:00Z", i + 1), Map.of("f1", values[i])), "f1");
            push(run("plain-model", String.format("2026-10-%02dT00:00:00Z", i + 1), Map.of("f1", values[i])), "f1");
        }
        BenchmarkResult withSe = BenchmarkResult.builder("se-model", "d").environment("ci")
                .runAt(Instant.parse("2026-10-20T00:00:00Z")).metric("f1", 0.88).stderr("f1", 0.02).build();
        assertThat(push(withSe, "f1").judgement().outcome()).isEqualTo(Outcome.OK);
        assertThat(push(run("plain-model", "2026-10-20T00:00:00Z", Map.of("f1", 0.88)), "f1").judgement().outcome())
                .isEqualTo(Outcome.REGRESSION);
    }

    @Test
    void verdicts_are_stored_for_the_series_touched() {
        series("stored-model", "accuracy", new double[] {0.8, 0.81, 0.79, 0.5});
        String outcome = bm.jdbi().withHandle(h -> h.createQuery("""
                SELECT v.outcome FROM detection_verdicts v JOIN series s ON s.id = v.series_id
                WHERE s.model_version = 'stored-model' AND v.metric = 'accuracy'""").mapTo(String.class).one());
        assertThat(outcome).isEqualTo("regression");
        long findings = bm.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM detection_findings f JOIN series s ON s.id = f.series_id
                WHERE s.model_version = 'stored-model' AND f.kind = 'regression'""").mapTo(Long.class).one());
        assertThat(findings).isEqualTo(1);
    }

    @Test
    void a_push_of_many_series_judged_on_several_threads_gives_each_run_the_verdict_of_pushing_its_series_alone() {
        // 4 series x 20 runs in one push is past DetectionService.PARALLEL_RUNS (judged on a parallel stream); one
        // series' 20 runs in a push of their own are not. Same values, a level shift in each series at a different run.
        java.util.Random noise = new java.util.Random(7);
        List<BenchmarkResult> together = new java.util.ArrayList<>();
        List<List<BenchmarkResult>> alone = new java.util.ArrayList<>();
        for (int s = 0; s < 4; s++) {
            List<BenchmarkResult> own = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                double f1 = 0.80 + 0.005 * noise.nextGaussian() - (i >= 10 + 2 * s ? 0.05 : 0);
                double latency = 400 + 4 * noise.nextGaussian();
                String day = String.format("2026-09-%02dT00:00:00Z", i + 1);
                together.add(run("together-" + s, day, Map.of("f1", f1, "latency_ms", latency)));
                own.add(run("alone-" + s, day, Map.of("f1", f1, "latency_ms", latency)));
            }
            alone.add(own);
        }
        Benchmon.Recorded batch = bm.recordJudged(together, Map.of(), DetectionOverrides.NONE);
        List<String> fromBatch = new java.util.ArrayList<>();
        List<String> fromAlone = new java.util.ArrayList<>();
        for (int s = 0; s < 4; s++) {
            Benchmon.Recorded one = bm.recordJudged(alone.get(s), Map.of(), DetectionOverrides.NONE);
            for (int i = 0; i < 20; i++) {
                fromBatch.add(verdictText(batch.verdicts().get(s * 20 + i)));
                fromAlone.add(verdictText(one.verdicts().get(i)));
            }
        }
        assertThat(fromBatch).isEqualTo(fromAlone);
        assertThat(String.join("\n", fromBatch)).contains("regression");
    }

    private static String verdictText(RunVerdicts v) {
        return v.metrics().stream().sorted(java.util.Comparator.comparing(MetricVerdict::metric))
                .map(m -> m.metric() + " " + m.judgement().outcome().name().toLowerCase(java.util.Locale.ROOT) + " " + m.text())
                .collect(java.util.stream.Collectors.joining("; "));
    }
}
