package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trend is one line per series (model, dataset version, prompt, environment), never a model's average over its
 * datasets or environments. As lm-eval stores them: one model, one result per task (hellaswag acc 0.5732, arc_easy
 * 0.8013, yesterday, environment local), and a staging run of the same model on another dataset (0.5).
 */
class TrendsPerSeriesTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;
    private static final Instant YESTERDAY = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
    private static final Filter MODEL = Filter.model("llama").withSince(YESTERDAY.minus(2, ChronoUnit.DAYS));

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        bm.recordAll(List.of(
                run("hellaswag", "local", 0.5732).build(),
                run("arc_easy", "local", 0.8013).build(),
                run("hard-set", "staging", 0.5).build()));
    }

    private static BenchmarkResult.Builder run(String dataset, String environment, double acc) {
        return BenchmarkResult.builder("llama", dataset).environment(environment)
                .runAt(YESTERDAY.plus(3, ChronoUnit.HOURS)).metric("acc,none", acc).metric("latency_ms", 10);
    }

    /** Each row as "dataset @environment: mean (count)". */
    private static List<String> lines(Table trend) {
        List<String> out = new ArrayList<>();
        for (Row r : trend) {
            out.add(r.getString("dataset_version") + " @" + r.getString("environment") + ": " + r.getDouble("mean")
                    + " (" + r.getInt("count") + ")");
        }
        return out;
    }

    @Test
    void a_model_on_several_datasets_and_environments_has_a_line_for_each_with_its_own_mean() {
        assertThat(lines(bm.timeSeries(MODEL, "acc,none", Bucket.DAY)))
                .containsExactly("arc_easy @local: 0.8013 (1)", "hard-set @staging: 0.5 (1)", "hellaswag @local: 0.5732 (1)");
    }

    @Test
    void the_trend_read_from_the_log_has_the_same_lines() {
        // Hour buckets (and a tag filter) read the log, not the rollups.
        assertThat(lines(bm.timeSeries(MODEL, "acc,none", Bucket.HOUR)))
                .containsExactly("arc_easy @local: 0.8013 (1)", "hard-set @staging: 0.5 (1)", "hellaswag @local: 0.5732 (1)");
    }

    @Test
    void several_metrics_read_together_have_the_same_lines() {
        Table acc = bm.timeSeries(MODEL, List.of("acc,none", "latency_ms"), Bucket.DAY).get("acc,none");
        assertThat(lines(acc))
                .containsExactly("arc_easy @local: 0.8013 (1)", "hard-set @staging: 0.5 (1)", "hellaswag @local: 0.5732 (1)");
    }

    @Test
    void the_series_names_follow_the_columns_the_table_had() {
        assertThat(bm.timeSeries(MODEL, "acc,none", Bucket.DAY).columnNames()).containsExactly("bucket", "model_version",
                "metric", "mean", "min", "max", "stddev", "count", "last_commit_sha", "last_run_id", "dataset_version",
                "prompt_version", "environment");
    }

    @Test
    void a_filter_on_one_dataset_and_environment_gives_that_series_alone() {
        assertThat(lines(bm.timeSeries(MODEL.withDatasets("hellaswag").withEnvironments("local"), "acc,none", Bucket.DAY)))
                .containsExactly("hellaswag @local: 0.5732 (1)");
    }
}
