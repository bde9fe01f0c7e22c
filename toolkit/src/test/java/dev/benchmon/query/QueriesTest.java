package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.UnknownNameException;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Queries against a small history whose answers are computed by hand:
 * model a: f1 0.80, 0.90 (yesterday, 2 h apart), 0.70 (today); model b: f1 0.60, latency 200 (yesterday).
 */
class QueriesTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;
    private static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS);
    private static final Instant YESTERDAY = TODAY.minus(1, ChronoUnit.DAYS);

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        bm.recordAll(List.of(
                r("a", "ci", YESTERDAY.plus(1, ChronoUnit.HOURS), 0.80, 100).commitSha("c1").runId("1").tag("suite", "nightly").build(),
                r("a", "ci", YESTERDAY.plus(3, ChronoUnit.HOURS), 0.90, 120).commitSha("c2").runId("2").build(),
                r("a", "ci", TODAY.plus(1, ChronoUnit.MINUTES), 0.70, 110).commitSha("c3").runId("3").build(),
                r("b", "production", YESTERDAY.plus(2, ChronoUnit.HOURS), 0.60, 200).modelProvider("openai").build()));
    }

    private static BenchmarkResult.Builder r(String model, String env, Instant at, double f1, double latency) {
        return BenchmarkResult.builder(model, "d").environment(env).runAt(at).metric("f1", f1).metric("latency_ms", latency);
    }

    @Test
    void latest_snapshots_hold_one_row_per_series_with_typed_metric_columns() {
        Table t = bm.latestSnapshots();
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.stringColumn("model_version").asList()).containsExactly("a", "b");
        assertThat(t.doubleColumn("f1").asList()).containsExactly(0.70, 0.60);
        assertThat(t.longColumn("run_count").asList()).containsExactly(3L, 1L);
        assertThat(t.column("run_at").type().name()).isEqualTo("INSTANT");
    }

    @Test
    void latest_snapshots_filter_by_environment_provider_and_tag() {
        assertThat(bm.latestSnapshots(Filter.environment("production")).stringColumn("model_version").asList()).containsExactly("b");
        assertThat(bm.latestSnapshots(Filter.all().withProviders("openai")).rowCount()).isEqualTo(1);
        // the tag filter applies to the latest run of each series: a's latest run has no tag
        assertThat(bm.latestSnapshots(Filter.all().withTag("suite", "nightly")).rowCount()).isZero();
    }

    @Test
    void history_is_newest_first_and_honours_the_limit() {
        Table h = bm.history(Filter.model("a").withLimit(2));
        assertThat(h.doubleColumn("f1").asList()).containsExactly(0.70, 0.90);
        assertThat(h.stringColumn("commit_sha").asList()).containsExactly("c3", "c2");
        assertThat(bm.history(Filter.all().withTag("suite", "nightly")).stringColumn("tags").asList()).containsExactly("suite=nightly");
    }

    @Test
    void a_daily_time_series_gives_mean_min_max_stddev_and_count_per_bucket() {
        Table t = bm.timeSeries(Filter.model("a"), "f1", Bucket.DAY);
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.instantColumn("bucket").get(0)).isEqualTo(YESTERDAY);
        assertThat(t.doubleColumn("mean").get(0)).isCloseTo(0.85, within(1e-9));
        assertThat(t.doubleColumn("min").get(0)).isEqualTo(0.80);
        assertThat(t.doubleColumn("max").get(0)).isEqualTo(0.90);
        assertThat(t.doubleColumn("stddev").get(0)).isCloseTo(Math.sqrt(0.005), within(1e-9));
        assertThat(t.intColumn("count").get(0)).isEqualTo(2);
        assertThat(t.stringColumn("last_commit_sha").get(0)).isEqualTo("c2");
        assertThat(t.doubleColumn("mean").get(1)).isEqualTo(0.70);
    }

    @Test
    void the_users_time_series_call_covers_the_window_back_from_now() {
        Table t = bm.timeSeries("a", "f1", Duration.ofDays(30));
        assertThat(t.intColumn("count").sum()).isEqualTo(3);
    }

    @Test
    void an_unknown_metric_names_the_known_ones() {
        assertThatThrownBy(() -> bm.timeSeries("a", "f-1", Duration.ofDays(30)))
                .isInstanceOf(UnknownNameException.class)
                .hasMessage("unknown metric 'f-1' (known: f1, latency_ms)");
    }

    /** auc is one of the schema's default definitions; no result of this test's database holds it. */
    @Test
    void a_metric_defined_but_without_results_is_refused_saying_so() {
        assertThatThrownBy(() -> bm.timeSeries("a", "auc", Duration.ofDays(30)))
                .isInstanceOf(UnknownNameException.class)
                .hasMessage("unknown metric 'auc' (defined, but no stored result holds it yet; metrics with results: "
                        + "f1, latency_ms)");
    }

    /** The filter of every other query (history, regressions, alerts) words it as the trend does. */
    @Test
    void a_metric_defined_but_without_results_in_a_filter_is_refused_saying_so() {
        assertThatThrownBy(() -> bm.history(Filter.model("a").withMetrics("auc")))
                .isInstanceOf(UnknownNameException.class)
                .hasMessageStartingWith("unknown metric 'auc' (defined, but no stored result holds it yet;");
    }

    @Test
    void an_unknown_metric_among_several_is_refused_as_when_asked_alone() {
        assertThatThrownBy(() -> bm.timeSeries(Filter.model("a"), List.of("f1", "nope"), Bucket.DAY))
                .isInstanceOf(UnknownNameException.class)
                .hasMessage("unknown metric 'nope' (known: f1, latency_ms)");
    }

    @Test
    void an_unknown_model_names_the_known_ones() {
        assertThatThrownBy(() -> bm.compareModels(List.of("a", "zz"), Duration.ofDays(30)))
                .hasMessage("unknown model 'zz' (known: a, b)");
    }

    @Test
    void compare_models_gives_statistics_and_the_difference_to_the_first_model_when_pooling_is_chosen() {
        Table t = bm.compareModels(Filter.models(List.of("b", "a")).withLast(Duration.ofDays(30)),
                CompareOptions.defaults().withPooled(true));
        Table f1 = t.where(t.stringColumn("metric").isEqualTo("f1"));
        assertThat(f1.stringColumn("model_version").asList()).containsExactly("b", "a");
        assertThat(f1.intColumn("n").asList()).containsExactly(1, 3);
        assertThat(f1.doubleColumn("mean").get(1)).isCloseTo(0.80, within(1e-9));
        assertThat(f1.doubleColumn("min").get(1)).isEqualTo(0.70);
        assertThat(f1.doubleColumn("max").get(1)).isEqualTo(0.90);
        assertThat(f1.doubleColumn("stddev").get(1)).isCloseTo(0.1, within(1e-9));
        assertThat(f1.doubleColumn("last").get(1)).isEqualTo(0.70);
        assertThat(f1.doubleColumn("diff_to_first").get(1)).isCloseTo(0.20, within(1e-9));
        assertThat(f1.doubleColumn("relative_diff_to_first").get(1)).isCloseTo(0.20 / 0.60, within(1e-9));
        assertThat(f1.stringColumn("direction").get(0)).isEqualTo("higher_is_better");
    }

    @Test
    void compare_models_does_not_pool_environments_by_default() {
        // a ran in ci, b in production: different environments are not compared with each other
        Table t = bm.compareModels(List.of("b", "a"), Duration.ofDays(30));
        Table f1 = t.where(t.stringColumn("metric").isEqualTo("f1"));
        assertThat(f1.stringColumn("environment").asList()).containsExactly("ci", "production");
        assertThat(f1.stringColumn("model_version").asList()).containsExactly("a", "b");
        assertThat(f1.doubleColumn("diff_to_first").isMissing(0)).isTrue();
        // Nothing compared: b's reference has no result in a's environment.
        assertThat(f1.stringColumn("method").asList()).containsExactly("no_reference", "reference");
    }

    @Test
    void metadata_lists_what_was_recorded() {
        assertThat(bm.models()).containsExactly("a", "b");
        assertThat(bm.datasets()).containsExactly("d");
        assertThat(bm.environments()).containsExactly("ci", "production");
        assertThat(bm.providers()).containsExactly("openai");
        assertThat(bm.metrics()).containsExactly("f1", "latency_ms");
    }

    @Test
    void metric_directions_have_defaults_by_name_and_can_be_redefined() {
        assertThat(bm.direction("latency_ms").sqlName()).isEqualTo("lower_is_better");
        assertThat(bm.direction("p95_latency").sqlName()).isEqualTo("lower_is_better");
        assertThat(bm.direction("analysis_cost").sqlName()).isEqualTo("lower_is_better");
        assertThat(bm.direction("bleu").sqlName()).isEqualTo("higher_is_better");
        bm.defineMetric("perplexity_x", dev.benchmon.MetricDirection.LOWER_IS_BETTER, null, "lower is better");
        assertThat(bm.direction("perplexity_x").sqlName()).isEqualTo("lower_is_better");
    }

    @Test
    void summary_counts_series_runs_in_the_window_and_models() {
        Summary s = bm.summary(Filter.last(Duration.ofDays(30)));
        assertThat(s.series()).isEqualTo(2);
        assertThat(s.runs()).isEqualTo(4);
        assertThat(s.models()).isEqualTo(2);
        assertThat(s.lastIngest()).isNotNull();
    }

    @Test
    void summary_counts_the_models_of_the_series_whose_latest_run_is_in_the_window_and_every_series_tracked() {
        Summary s = bm.summary(Filter.all().withSince(TODAY)); // a's latest run is today, b's yesterday

        assertThat(s.series()).isEqualTo(2);
        assertThat(s.runs()).isEqualTo(1);
        assertThat(s.models()).isEqualTo(1);
    }

    @Test
    void the_pareto_front_keeps_models_no_other_beats_on_both_quality_and_cost() {
        Table front = ParetoFront.of(bm.compareModels(Filter.models(List.of("a", "b")).withLast(Duration.ofDays(30)),
                CompareOptions.defaults().withPooled(true)), "f1", "latency_ms");
        // a: f1 0.80, latency 110; b: f1 0.60, latency 200 -> a dominates b
        assertThat(front.stringColumn("model_version").asList()).containsExactly("a", "b");
        assertThat(front.booleanColumn("pareto").asList()).containsExactly(true, false);
    }

    @Test
    void the_trends_view_gives_daily_statistics_per_series_and_metric() {
        double mean = bm.jdbi().withHandle(h -> h.createQuery(
                "SELECT mean_value FROM v_performance_trends WHERE model_version = 'a' AND metric = 'f1' AND bucket = :day")
                .bind("day", java.time.OffsetDateTime.ofInstant(YESTERDAY, java.time.ZoneOffset.UTC)).mapTo(Double.class).one());
        assertThat(mean).isCloseTo(0.85, within(1e-9));
    }
}
