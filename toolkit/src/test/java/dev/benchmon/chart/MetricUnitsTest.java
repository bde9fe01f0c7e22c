package dev.benchmon.chart;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unit after the change an engine's explanation starts with, as push, the run page, the Regressions tab and the
 * alert pages write it: after the whole number, never inside it.
 */
class MetricUnitsTest {
    @Test
    void the_unit_follows_a_change_with_its_percentage() {
        assertThat(MetricUnits.afterLeadingChange("+176 (+39.0%) (12.0 sd), since commit a..b", "ms"))
                .isEqualTo("+176 ms (+39.0%) (12.0 sd), since commit a..b");
    }

    @Test
    void a_change_grouped_in_thousands_keeps_its_digits_together() {
        assertThat(MetricUnits.afterLeadingChange("+1,300 vs the previous run; relative rule (25%)", "ms"))
                .isEqualTo("+1,300 ms vs the previous run; relative rule (25%)");
        assertThat(MetricUnits.afterLeadingChange("+2,460,000 (+52.0%), since commit a..b", "B"))
                .isEqualTo("+2,460,000 B (+52.0%), since commit a..b");
    }

    @Test
    void a_change_followed_by_a_comma_gets_the_unit_before_the_comma() {
        assertThat(MetricUnits.afterLeadingChange("+176, since commit a..b", "ms")).isEqualTo("+176 ms, since commit a..b");
    }

    @Test
    void an_ok_verdicts_prefix_is_kept_before_the_change() {
        assertThat(MetricUnits.afterLeadingChange("within noise: -0.4 (-0.1%) (1.3 sd)", "ms"))
                .isEqualTo("within noise: -0.4 ms (-0.1%) (1.3 sd)");
    }

    @Test
    void a_change_of_a_metric_in_percent_is_written_in_points() {
        assertThat(MetricUnits.afterLeadingChange("+2.00 (+2.4%) (5.1 sd), since commit a..b", "%"))
                .isEqualTo("+2.00 points (+2.4%) (5.1 sd), since commit a..b");
    }

    @Test
    void a_change_in_points_or_words_is_left_as_it_is() {
        assertThat(MetricUnits.afterLeadingChange("-10.4 points (32.9 sd)", "ms")).isEqualTo("-10.4 points (32.9 sd)");
        assertThat(MetricUnits.afterLeadingChange("first run of this metric in the series", "ms"))
                .isEqualTo("first run of this metric in the series");
    }

    @Test
    void a_proportions_unit_is_not_written_after_a_value() {
        assertThat(MetricUnits.valueUnit("ratio")).isNull();
        assertThat(MetricUnits.valueUnit(" Fraction ")).isNull();
        assertThat(MetricUnits.valueUnit(" ms ")).isEqualTo("ms");
        assertThat(MetricUnits.valueUnit(" ")).isNull();
    }

    @Test
    void an_alert_restated_after_its_opening_run_was_excluded_gets_the_unit_after_its_figures() {
        MetricUnits units = MetricUnits.of(tech.tablesaw.api.Table.create("definitions",
                tech.tablesaw.api.StringColumn.create("name", "latency_ms"),
                tech.tablesaw.api.StringColumn.create("unit", "ms")));
        assertThat(units.inAlertVerdict("latency_ms regression since commit c9..c11; opened on run 35 at +176 (+39.0%) "
                + "(12.0 sd), excluded since: the change persists from run 36", "latency_ms"))
                .isEqualTo("latency_ms regression since commit c9..c11; opened on run 35 at +176 ms (+39.0%) (12.0 sd), "
                        + "excluded since: the change persists from run 36");
    }

    @Test
    void an_alert_events_verdict_gets_the_unit_after_its_change() {
        assertThat(MetricUnits.inEventText("back within noise in run 19: latency_ms improvement: -59.9 (-16.6%) (22.1 sd), "
                + "since commit 0abc011..0abc012", "latency_ms", "ms"))
                .isEqualTo("back within noise in run 19: latency_ms improvement: -59.9 ms (-16.6%) (22.1 sd), "
                        + "since commit 0abc011..0abc012");
    }

    @Test
    void an_alert_events_values_and_baseline_get_the_unit() {
        assertThat(MetricUnits.inEventText("severity escalated from minor to major: latency_ms 318.2 in run 42 against "
                + "the baseline 307 (+3.6%)", "latency_ms", "ms"))
                .isEqualTo("severity escalated from minor to major: latency_ms 318.2 ms in run 42 against the baseline "
                        + "307 ms (+3.6%)");
    }

    @Test
    void an_alert_event_written_with_units_keeps_them_once() {
        String written = "opened: latency_ms regression: +59.9 ms (+19.9%) (27.6 sd); latency_ms 318.2 ms in run 42 "
                + "against the baseline 307 ms";
        assertThat(MetricUnits.inEventText(written, "latency_ms", "ms")).isEqualTo(written);
    }

    @Test
    void an_alert_event_of_another_metric_name_or_without_a_unit_is_kept() {
        String text = "opened: p99_latency_ms regression: +59.9 (+19.9%); run 42 excluded";
        assertThat(MetricUnits.inEventText(text, "latency_ms", "ms")).isEqualTo(text);
        assertThat(MetricUnits.inEventText(text, "p99_latency_ms", null)).isEqualTo(text);
    }

    @Test
    void an_alert_events_unit_is_the_one_asked_for_each_time() {
        // The patterns are kept per metric and unit: a unit changed in the definitions shows at once.
        String text = "severity escalated from minor to major: latency 318.2 in run 42 against the baseline 307 (+3.6%)";
        assertThat(MetricUnits.inEventText(text, "latency", "ms")).contains("latency 318.2 ms in run 42", "baseline 307 ms");
        assertThat(MetricUnits.inEventText(text, "latency", "s")).contains("latency 318.2 s in run 42", "baseline 307 s");
        assertThat(MetricUnits.inEventText(text, "latency_p99", "ms")).contains("latency 318.2 in run 42", "baseline 307 ms");
    }
}
