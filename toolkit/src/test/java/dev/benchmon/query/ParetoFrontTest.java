package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a Pareto front prints (as the query tables it is built from, rounded and readable) and what it compares. */
class ParetoFrontTest {
    @Test
    void a_front_prints_rounded_as_the_other_tables_do() {
        Table comparison = Table.create("comparison",
                StringColumn.create("model_version", "small", "small", "large", "large"),
                StringColumn.create("metric", "f1", "cost_usd", "f1", "cost_usd"),
                StringColumn.create("direction", "higher_is_better", "lower_is_better", "higher_is_better", "lower_is_better"),
                DoubleColumn.create("mean", 0.81234567891, 0.0018952999999999997, 0.9, 0.0123));

        Table front = ParetoFront.of(comparison, "f1", "cost_usd");

        assertThat(front.toString()).contains("f1 vs cost_usd  (2 rows x 4 columns)", "0.001895", "0.8123")
                .doesNotContain("0.0018952999999999997", "0.81234567891");
        assertThat(front.doubleColumn("cost").get(0)).isEqualTo(0.0018952999999999997); // the values stay exact
    }

    @Test
    void a_model_is_on_the_front_of_its_own_dataset_whatever_scores_on_another_dataset() {
        try (Benchmon bm = TestDatabases.fresh()) {
            // The trial's comparison: llama-8b-ft on gsm8k (0.6208 at 0.002021) was marked dominated by llama-8b on
            // squad-v2 (0.7806 at 0.002004). On gsm8k nothing beats it on both: llama-8b is cheaper but worse.
            Instant at = Instant.now().minus(Duration.ofHours(1));
            record(bm, at, "llama-8b", "gsm8k", 0.55, 0.0019);
            record(bm, at, "llama-8b-ft", "gsm8k", 0.6208, 0.002021);
            record(bm, at, "gpt-4o-mini", "gsm8k", 0.70, 0.0100);
            record(bm, at, "llama-8b", "squad-v2", 0.7806, 0.002004);
            record(bm, at, "llama-8b-ft", "squad-v2", 0.75, 0.0025); // beaten by llama-8b on squad-v2 itself
            record(bm, at, "gpt-4o-mini", "squad-v2", 0.85, 0.0120);

            Table front = ParetoFront.of(bm.compareModels(List.of("llama-8b", "llama-8b-ft", "gpt-4o-mini"),
                    Duration.ofDays(1)), "f1", "cost_usd");

            // Only the model beaten on its own dataset is off the front.
            assertThat(front.where(front.booleanColumn("pareto").isFalse()).stringColumn("model_version").asList())
                    .containsExactly("llama-8b-ft · squad-v2 @ci");
            // The front names each row's task, so a notebook can keep one dataset's front.
            Table gsm8k = front.where(front.stringColumn("dataset_version").isEqualTo("gsm8k"));
            assertThat(gsm8k.stringColumn("model_version").asList())
                    .containsExactly("llama-8b · gsm8k @ci", "llama-8b-ft · gsm8k @ci", "gpt-4o-mini · gsm8k @ci");
            assertThat(front.stringColumn("environment").asList()).containsOnly("ci");
        }
    }

    private static void record(Benchmon bm, Instant at, String model, String dataset, double f1, double cost) {
        bm.record(BenchmarkResult.builder(model, dataset).environment("ci").runAt(at).metric("f1", f1)
                .metric("cost_usd", cost).build());
    }
}
