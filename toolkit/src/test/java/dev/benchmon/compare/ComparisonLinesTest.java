package dev.benchmon.compare;

import dev.benchmon.compare.RunComparison.NewestRunAlert;
import dev.benchmon.compare.RunComparison.RunMeans;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The words of a comparison's header and warning lines ({@link ComparisonLines}), which {@code benchmon compare}, the
 * Compare page and {@link RunComparison#toString()} all print. B's values: the means of runs of f1 and recall, 88 of
 * one and 90 of the other, from 2026-09-05 to 2026-12-03, the newest result id 2152.
 */
class ComparisonLinesTest {
    private static final RunMeans MEANS = new RunMeans(90, Instant.parse("2026-09-05T10:00:00Z"),
            Instant.parse("2026-12-03T10:00:00Z"), 2152, List.of("f1", "recall"), 88);

    @Test
    void a_side_is_its_result_or_the_means_of_its_runs_and_a_is_named_the_reference() {
        assertThat(ComparisonLines.side("A", "m on d @ci", 15, null, 2)).isEqualTo("A (reference): result id 15 (m on d @ci)");
        assertThat(ComparisonLines.side("B", "m on d @ci", 2152, MEANS, 2)).isEqualTo("B: m on d @ci: means of its 88-90 "
                + "runs from 2026-09-05 to 2026-12-03 (newest: result id 2152)");
    }

    @Test
    void means_of_some_metrics_only_are_named_with_those_metrics() {
        assertThat(ComparisonLines.describe("m on d @ci", 2150, MEANS, 3)).isEqualTo("result id 2150 (m on d @ci; for f1, "
                + "recall the means of its 88-90 runs from 2026-09-05 to 2026-12-03, newest result id 2152)");
    }

    @Test
    void a_series_names_the_environment_before_the_prompt_and_no_empty_prompt() {
        assertThat(ComparisonLines.series("m", "d", "ci", "p2")).isEqualTo("m on d @ci, prompt p2");
        assertThat(ComparisonLines.series("m", "d", "ci", "")).isEqualTo("m on d @ci");
    }

    /** A change point's alert follows the newest run as a regression's does: the line says "alert", not "regression". */
    @Test
    void a_newest_run_under_alerts_of_any_kind_is_one_warning_per_side_that_names_no_kind() {
        List<NewestRunAlert> alerts = List.of(new NewestRunAlert("B", 2152, 7, "recall", "open", "critical", "-15.8 points"),
                new NewestRunAlert("B", 2152, 8, "f1", "acknowledged", "major", "-9.0 points"),
                new NewestRunAlert("A", 2150, 9, "latency_ms", "open", "minor", "+12.0%"));

        assertThat(ComparisonLines.warnings(alerts, null, MEANS, List.of("A and B used different prompt versions")))
                .containsExactly("warning: A's newest run (result id 2150) is under an active alert: latency_ms +12.0% "
                                + "(minor, open alert #9)",
                        "warning: B's newest run (result id 2152) is under 2 active alerts: recall -15.8 points (critical, "
                                + "open alert #7); f1 -9.0 points (major, acknowledged alert #8); B's values below are means "
                                + "of its runs, which hide it",
                        "warning: A and B used different prompt versions");
    }

    @Test
    void an_alert_on_a_metric_that_is_no_run_mean_is_not_said_to_be_hidden_by_means() {
        List<NewestRunAlert> alerts = List.of(new NewestRunAlert("B", 2152, 7, "accuracy", "open", "critical", "-5.0 points"));

        assertThat(ComparisonLines.alerts(alerts, null, MEANS)).singleElement().asString().doesNotContain("means");
    }
}
