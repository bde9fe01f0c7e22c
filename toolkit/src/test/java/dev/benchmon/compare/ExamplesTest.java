package dev.benchmon.compare;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.ExampleOutcome;
import dev.benchmon.Filter;
import dev.benchmon.RecordOutcome;
import dev.benchmon.ValidationException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Per-example outcomes stored and compared, on a fixed set of items whose answers are worked by hand:
 * <pre>
 * slice topic=a (20 items): B fixes 6 (A 0, B 1), breaks 1 (A 1, B 0), 13 right under both
 * slice topic=b (10 items): B breaks 3, 7 wrong under both
 * slice topic=c  (4 items): right under both
 * 6 items without labels: right under both; A alone has 1 more item, B alone 2 more (right)
 * </pre>
 * On the 40 shared items: A 27/40, B 29/40, diff 0.05; discordant 4 (A only) and 6 (B only):
 * McNemar p = 2 (1 + 10 + 45 + 120 + 210) / 1024 = 0.75390625.
 * Slices: a diff 0.25, p = 2 (1 + 7) / 128 = 0.125; b diff -0.3, p = 2 / 8 = 0.25; c diff 0, p = 1;
 * Holm: a 0.375, b 0.5, c 1.
 */
class ExamplesTest {
    private static final Instant NOW = Instant.now().minus(Duration.ofHours(1));
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    private static List<ExampleOutcome> outcomes(boolean b) {
        List<ExampleOutcome> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double a = i < 6 ? 0 : 1;           // 0-5 fixed by B, 6 broken by B, 7-19 right under both
            double bScore = i == 6 ? 0 : 1;
            out.add(new ExampleOutcome("a-" + i, b ? bScore : a, Map.of("topic", "a")));
        }
        for (int i = 0; i < 10; i++) {
            double a = i < 3 ? 1 : 0;
            out.add(new ExampleOutcome("b-" + i, b ? 0 : a, Map.of("topic", "b")));
        }
        for (int i = 0; i < 4; i++) {
            out.add(new ExampleOutcome("c-" + i, 1, Map.of("topic", "c")));
        }
        for (int i = 0; i < 6; i++) {
            out.add(ExampleOutcome.of("u-" + i, 1));
        }
        if (b) {
            out.add(ExampleOutcome.of("only-b-1", 1));
            out.add(ExampleOutcome.of("only-b-2", 1));
        } else {
            out.add(ExampleOutcome.of("only-a", 1));
        }
        return out;
    }

    private static BenchmarkResult result(String model, boolean b, Instant at) {
        List<ExampleOutcome> ex = outcomes(b);
        double accuracy = ex.stream().mapToDouble(ExampleOutcome::score).average().orElseThrow();
        return BenchmarkResult.builder(model, "qa-v1").environment("ci").runAt(at)
                .metric("accuracy", accuracy).metric("latency_ms", b ? 300 : 280)
                .examples(ex).build();
    }

    private long count(String sql) {
        return bm.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private long[] recordPair() {
        List<RecordOutcome> o = bm.recordAll(List.of(result("base", false, NOW), result("cand", true, NOW.plusSeconds(60))));
        return new long[]{o.get(0).transactionId(), o.get(1).transactionId()};
    }

    @Test
    void examples_whose_mean_no_metric_reports_are_compared_as_a_score_where_higher_is_better() {
        List<RecordOutcome> o = bm.recordAll(List.of(
                BenchmarkResult.builder("base", "qa-v1").environment("ci").runAt(NOW).metric("latency_ms", 280)
                        .examples(outcomes(false)).build(),
                BenchmarkResult.builder("cand", "qa-v1").environment("ci").runAt(NOW.plusSeconds(60)).metric("latency_ms", 300)
                        .examples(outcomes(true)).build()));

        Table summary = bm.comparePaired(o.get(0).transactionId(), o.get(1).transactionId());

        int row = summary.stringColumn("metric").indexOf(RunInfo.EXAMPLES_MEAN);
        assertThat(summary.stringColumn("direction").get(row)).isEqualTo("higher_is_better");
    }

    @Test
    void examples_are_stored_in_their_own_table_and_never_in_the_log() {
        long[] ids = recordPair();
        assertThat(count("SELECT count(*) FROM example_outcomes")).isEqualTo(2);
        assertThat(count("SELECT item_count FROM example_outcomes WHERE transaction_id = " + ids[1])).isEqualTo(42);
        assertThat(count("SELECT count(*) FROM benchmark_transactions t WHERE t::text LIKE '%only-b%' OR t::text LIKE '%a-17%'"))
                .isZero();
        assertThat(count("SELECT count(*) FROM v_example_outcomes WHERE transaction_id = " + ids[0] + " AND item_key = 'b-1' AND score = 1"))
                .isEqualTo(1);
    }

    @Test
    void item_ids_are_interned_once_per_dataset_version() {
        recordPair();
        // 40 shared + 1 only in A + 2 only in B
        assertThat(count("SELECT count(*) FROM example_items")).isEqualTo(43);
        bm.record(BenchmarkResult.builder("base", "qa-v2").metric("accuracy", 1).example("a-1", 1).build());
        assertThat(count("SELECT count(*) FROM example_items WHERE item_key = 'a-1'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM example_items WHERE slice ->> 'topic' = 'a'")).isEqualTo(20);
    }

    @Test
    void re_sending_a_result_with_examples_stores_nothing_twice() {
        BenchmarkResult r = result("base", false, NOW).toBuilder().runId("ci-7").build();
        RecordOutcome first = bm.record(r);
        RecordOutcome again = bm.record(r);
        assertThat(again.created()).isFalse();
        assertThat(again.transactionId()).isEqualTo(first.transactionId());
        assertThat(count("SELECT count(*) FROM example_outcomes")).isEqualTo(1);
    }

    @Test
    void a_result_with_bad_examples_is_refused_naming_the_item_and_stores_nothing() {
        String json = """
                {"model_version": "m", "dataset_version": "d", "metrics": {"accuracy": 0.5},
                 "examples": [{"id": "q1", "score": 1}, {"id": "q1", "score": 0}, {"id": "q3", "score": "yes"},
                              {"id": "q4", "score": 1, "slice": {"topic": ["x"]}}]}""";
        assertThatThrownBy(() -> BenchmarkResult.fromJson(json))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("examples[2].score: must be a number")
                .hasMessageContaining("examples[3].slice.topic: must be text");
        String duplicate = """
                {"model_version": "m", "dataset_version": "d", "metrics": {"accuracy": 0.5},
                 "examples": [{"id": "q1", "score": 1}, {"id": "q1", "score": 0}]}""";
        assertThatThrownBy(() -> BenchmarkResult.fromJson(duplicate))
                .hasMessageContaining("examples[1].id: 'q1' is given twice");
        assertThat(count("SELECT count(*) FROM benchmark_transactions")).isZero();
    }

    @Test
    void an_example_id_with_a_lone_surrogate_is_refused_naming_the_item_and_stores_nothing() {
        // The driver writes a lone surrogate as '?': the id stored changed, or two such ids colliding in the database.
        assertThatThrownBy(() -> bm.record(BenchmarkResult.builder("m", "d").metric("accuracy", 0.5)
                .example("q1", 1).example("\ud800", 1).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("examples[1].id: holds a lone surrogate \\uD800");
        assertThat(count("SELECT count(*) FROM example_items")).isZero();
    }

    @Test
    void examples_survive_a_round_trip_through_json() {
        BenchmarkResult r = BenchmarkResult.fromJson("""
                {"model_version": "m", "dataset_version": "d", "metrics": {"accuracy": 0.5},
                 "examples": [{"id": "q-0017", "score": 1, "slice": {"topic": "cardiology"}}, {"id": 18, "score": 0.25}]}""");
        assertThat(r.examples()).containsExactly(new ExampleOutcome("q-0017", 1, Map.of("topic", "cardiology")),
                ExampleOutcome.of("18", 0.25));
        assertThat(BenchmarkResult.fromJson(r.toJson())).isEqualTo(r);
    }

    @Test
    void examples_read_from_json_lines_name_the_line_at_fault() {
        assertThat(dev.benchmon.ingest.ExamplesJson.fromJsonLines("{\"id\": \"q1\", \"score\": 1}\n\n{\"id\": \"q2\", \"score\": 0}\n"))
                .extracting(ExampleOutcome::id).containsExactly("q1", "q2");
        assertThatThrownBy(() -> dev.benchmon.ingest.ExamplesJson.fromJsonLines("{\"id\": \"q1\", \"score\": 1}\n{\"id\": \"q2\"}\n"))
                .hasMessageContaining("line 2: score: is required");
    }

    @Test
    void two_runs_are_compared_on_the_items_both_have_with_mcnemars_exact_test() {
        long[] ids = recordPair();
        Table t = bm.comparePaired(ids[0], ids[1]);
        assertThat(t.stringColumn("metric").get(0)).isEqualTo("accuracy");
        assertThat(t.doubleColumn("value_a").get(0)).isCloseTo(27.0 / 40, within(1e-12));
        assertThat(t.doubleColumn("value_b").get(0)).isCloseTo(29.0 / 40, within(1e-12));
        assertThat(t.doubleColumn("diff").get(0)).isCloseTo(0.05, within(1e-12));
        assertThat(t.doubleColumn("p_value").get(0)).isCloseTo(0.75390625, within(1e-12));
        assertThat(t.stringColumn("method").get(0)).isEqualTo("paired_bootstrap+mcnemar_exact");
        assertThat(t.longColumn("n").get(0)).isEqualTo(40);
        assertThat(t.intColumn("b_higher").get(0)).isEqualTo(6);
        assertThat(t.intColumn("a_higher").get(0)).isEqualTo(4);
        assertThat(t.intColumn("only_a").get(0)).isEqualTo(1);
        assertThat(t.intColumn("only_b").get(0)).isEqualTo(2);
        assertThat(t.doubleColumn("ci_low").get(0)).isLessThan(0.05);
        assertThat(t.doubleColumn("ci_high").get(0)).isGreaterThan(0.05);
        // latency has no examples, stderr or n: the difference only
        assertThat(t.stringColumn("method").get(1)).isEqualTo("none");
        assertThat(t.doubleColumn("diff").get(1)).isEqualTo(20.0);
    }

    @Test
    void the_same_seed_gives_the_same_interval() {
        long[] ids = recordPair();
        Table first = bm.comparePaired(ids[0], ids[1]);
        Table again = bm.comparePaired(ids[0], ids[1]);
        assertThat(again.doubleColumn("ci_low").get(0)).isEqualTo(first.doubleColumn("ci_low").get(0));
        assertThat(again.doubleColumn("ci_high").get(0)).isEqualTo(first.doubleColumn("ci_high").get(0));
    }

    @Test
    void flipped_items_are_listed_each_way() {
        long[] ids = recordPair();
        Table flips = bm.comparison(ids[0], ids[1], CompareOptions.defaults()).flips();
        assertThat(flips.rowCount()).isEqualTo(10);
        Table up = flips.where(flips.stringColumn("flip").isEqualTo(RunComparison.B_HIGHER));
        assertThat(up.stringColumn("item_id").asList()).containsExactly("a-0", "a-1", "a-2", "a-3", "a-4", "a-5");
        Table down = flips.where(flips.stringColumn("flip").isEqualTo(RunComparison.A_HIGHER));
        assertThat(down.stringColumn("item_id").asList()).containsExactly("a-6", "b-0", "b-1", "b-2");
        assertThat(down.stringColumn("slice").get(1)).isEqualTo("topic=b");
    }

    @Test
    void the_slice_table_puts_the_biggest_change_first_with_holm_adjusted_p_values_and_small_slices_flagged() {
        long[] ids = recordPair();
        Table s = bm.comparison(ids[0], ids[1], CompareOptions.defaults().withMinSliceSize(5)).slices();
        // The drop of 0.3 before the gain of 0.25: by size, not sign.
        assertThat(s.stringColumn("slice").asList()).containsExactly("topic=b", "topic=a", "topic=c");
        assertThat(s.intColumn("n").asList()).containsExactly(10, 20, 4);
        assertThat(s.doubleColumn("diff").asDoubleArray()).containsExactly(new double[]{-0.3, 0.25, 0.0}, within(1e-12));
        assertThat(s.doubleColumn("p_value").asDoubleArray()).containsExactly(new double[]{0.25, 0.125, 1.0}, within(1e-12));
        assertThat(s.doubleColumn("p_holm").asDoubleArray()).containsExactly(new double[]{0.5, 0.375, 1.0}, within(1e-12));
        assertThat(s.booleanColumn("small").asList()).containsExactly(false, false, true);
        assertThat(s.doubleColumn("ci_high").get(0)).isGreaterThanOrEqualTo(-0.3);
        assertThat(s.doubleColumn("ci_low").get(1)).isLessThanOrEqualTo(0.25);
    }

    @Test
    void runs_on_different_dataset_versions_are_not_paired() {
        long a = bm.record(BenchmarkResult.builder("m", "d1").metric("accuracy", 1).example("q", 1).build()).transactionId();
        long b = bm.record(BenchmarkResult.builder("m", "d2").metric("accuracy", 1).example("q", 1).build()).transactionId();
        assertThatThrownBy(() -> bm.comparePaired(a, b)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("needs one dataset version");
    }

    @Test
    void an_id_that_names_no_stored_result_says_so_while_results_are_stored() {
        long a = bm.record(BenchmarkResult.builder("m", "d1").metric("accuracy", 1).build()).transactionId();
        assertThatThrownBy(() -> bm.comparePaired(99_999, a)).isInstanceOf(dev.benchmon.UnknownNameException.class)
                .hasMessage("unknown result '99999' (no result id 99999 is stored)");
    }

    @Test
    void compare_models_pairs_the_latest_results_with_examples() {
        recordPair();
        Table t = bm.compareModels(Filter.models(List.of("base", "cand")).withLast(Duration.ofDays(1)),
                CompareOptions.defaults());
        Table acc = t.where(t.stringColumn("metric").isEqualTo("accuracy"));
        assertThat(acc.stringColumn("model_version").asList()).containsExactly("base", "cand");
        assertThat(acc.stringColumn("method").asList()).containsExactly("reference", "paired_bootstrap+mcnemar_exact");
        assertThat(acc.doubleColumn("diff").get(1)).isCloseTo(0.05, within(1e-12));
        assertThat(acc.doubleColumn("p_value").get(1)).isCloseTo(0.75390625, within(1e-12));
        assertThat(acc.longColumn("n_compared").get(1)).isEqualTo(40);
    }

    @Test
    void without_examples_compare_models_falls_back_to_stderr_then_n_then_run_to_run() {
        Instant t0 = NOW.minus(Duration.ofHours(5));
        bm.recordAll(List.of(
                BenchmarkResult.builder("a", "d").runAt(t0).metric("acc", 0.80).stderr("acc", 0.03).metric("pass_rate", 0.80)
                        .sampleSize("pass_rate", 500).metric("f1", 0.80).build(),
                BenchmarkResult.builder("a", "d").runAt(t0.plusSeconds(60)).metric("f1", 0.82).build(),
                BenchmarkResult.builder("b", "d").runAt(t0).metric("acc", 0.76).stderr("acc", 0.04).metric("pass_rate", 0.85)
                        .sampleSize("pass_rate", 500).metric("f1", 0.84).build(),
                BenchmarkResult.builder("b", "d").runAt(t0.plusSeconds(60)).metric("f1", 0.86).build()));
        Table t = bm.compareModels(Filter.models(List.of("a", "b")).withLast(Duration.ofDays(1)), CompareOptions.defaults());
        Table b = t.where(t.stringColumn("model_version").isEqualTo("b"));
        // pass_rate is a proportion by its name: its n alone gives the test (a metric named p would not, MetricSemantics).
        assertThat(b.stringColumn("metric").asList()).containsExactly("acc", "f1", "pass_rate");
        assertThat(b.stringColumn("method").asList()).containsExactly("welch_stderr", "run_to_run_welch", "two_proportion_z");
        // acc: diff -0.04, se = sqrt(0.03² + 0.04²) = 0.05, z = 0.8; SciPy 1.17: 2 * norm.sf(0.8) = 0.4237107971
        assertThat(b.doubleColumn("p_value").get(0)).isCloseTo(0.4237107971, within(1e-9));
        // pass_rate: 0.80 against 0.85 of 500 each (see UnpairedStatisticsTest)
        assertThat(b.doubleColumn("p_value").get(2)).isCloseTo(0.0374681571, within(1e-9));
        assertThat(b.doubleColumn("diff").get(1)).isCloseTo(0.04, within(1e-12));
    }
}
