package dev.benchmon.query;

import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.ValidationException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Benchmon#defineMetric} and {@link Benchmon#defineMetrics} refuse a unit or description that
 * {@code PUT /api/v1/metrics/{name}} and a file's {@code metric_definitions} refuse, and store nothing.
 */
class MetricDefinitionTextTest {
    @AutoClose
    private static Benchmon bm;

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
    }

    private static boolean defined(String name) {
        return bm.metricDefinitions().stringColumn("name").contains(name);
    }

    @Test
    void defineMetric_refuses_a_unit_longer_than_64_characters() {
        assertThatThrownBy(() -> bm.defineMetric("long_unit", MetricDirection.HIGHER_IS_BETTER, "u".repeat(70), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unit: is 70 characters long; at most 64");
        assertThat(defined("long_unit")).isFalse();
    }

    @Test
    void defineMetric_refuses_a_unit_on_two_lines() {
        assertThatThrownBy(() -> bm.defineMetric("two_line_unit", MetricDirection.HIGHER_IS_BETTER, "a\nb", null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unit: ");
        assertThat(defined("two_line_unit")).isFalse();
    }

    @Test
    void defineMetrics_refuses_a_unit_longer_than_64_characters() {
        MetricDefinition d = new MetricDefinition("long_unit2", MetricDirection.LOWER_IS_BETTER, "u".repeat(70), null, null);

        assertThatThrownBy(() -> bm.defineMetrics(d))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unit: is 70 characters long; at most 64");
        assertThat(defined("long_unit2")).isFalse();
    }

    @Test
    void defineMetrics_refuses_a_description_with_a_control_character() {
        MetricDefinition d = new MetricDefinition("bell", MetricDirection.LOWER_IS_BETTER, "ms", null, "rings\u0007");

        assertThatThrownBy(() -> bm.defineMetrics(d))
                .isInstanceOf(ValidationException.class).hasMessageContaining("description: ");
        assertThat(defined("bell")).isFalse();
    }
}
