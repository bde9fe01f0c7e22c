package dev.benchmon.query;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import static org.assertj.core.api.Assertions.assertThat;

/** How a Pareto front prints: as the query tables it is built from, rounded and readable. */
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
}
