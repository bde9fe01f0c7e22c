package dev.benchmon.detect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The targets at default settings, on the seeded labelled corpus (deterministic, not timed). */
class DetectionCorpusTest {
    private static CorpusEvaluation.Score score(String name) {
        LabelledCorpus.Scenario sc = LabelledCorpus.scenarios().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        return CorpusEvaluation.score(sc, CorpusEvaluation.engine(DetectionSettings.defaults()), DetectionSettings.forKind(sc.kind()));
    }

    @Test
    void noise_only_series_give_at_most_one_false_alert_per_100_runs() {
        for (LabelledCorpus.Scenario sc : LabelledCorpus.scenarios()) {
            if (sc.noiseOnly()) {
                assertThat(score(sc.name()).falseAlertsPer100()).as(sc.name()).isLessThanOrEqualTo(1.0);
            }
        }
    }

    /**
     * A run sent alone to a young series (8 to 14 runs of history) is judged with the noise sd of its plain successive
     * differences: the robust estimate from 7 to 13 differences was often a fraction of the true sd, and such runs opened
     * 0.23 to 1.03 alerts per 100 runs of pure noise (0.67 at accuracy sd 0.01); now 0.10 to 0.47.
     */
    @Test
    void a_young_series_of_noise_gives_under_half_a_false_alert_per_100_runs() {
        for (LabelledCorpus.Scenario sc : LabelledCorpus.youngScenarios()) {
            if (sc.noiseOnly()) {
                assertThat(score(sc.name()).falseAlertsPer100()).as(sc.name()).isLessThan(0.5);
            }
        }
    }

    /** Issue 1 asked that 5 sd drops be caught: in a young series too (80-89% within 3 runs with the robust estimate). */
    @Test
    void a_5_sd_step_in_a_young_series_is_caught_within_3_runs_in_85_percent_of_series() {
        for (String name : new String[] {"young step: accuracy 5 sd down", "young step: acc binom 5 sd down",
                "young step: latency logn 5 sd up"}) {
            assertThat(score(name).detectedWithin3()).as(name).isGreaterThanOrEqualTo(0.85);
        }
    }

    @Test
    void a_4_sd_step_is_caught_within_3_runs_in_90_percent_of_series() {
        assertThat(score("step: accuracy 4 sd down").detectedWithin3()).isGreaterThanOrEqualTo(0.90);
        assertThat(score("step: latency 4 sd up (CV 5%)").detectedWithin3()).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void a_6_sd_step_is_caught_within_2_runs() {
        assertThat(score("step: accuracy 6 sd down").detectedWithin2()).isGreaterThanOrEqualTo(0.99);
        assertThat(score("step: latency 6 sd up (CV 5%)").detectedWithin2()).isGreaterThanOrEqualTo(0.99);
    }

    /** No run of a 2 sd step stands out alone; the change point reports it once the detector places it. */
    @Test
    void a_2_sd_step_is_reported_once_its_change_point_is_placed() {
        CorpusEvaluation.Score s = score("step: accuracy 2 sd down");
        assertThat(s.detectedEver()).isGreaterThanOrEqualTo(0.99);
        assertThat(s.meanDelay()).as("runs after the step").isLessThanOrEqualTo(10);
    }

    @Test
    void the_3_percent_accuracy_drop_at_sd_0_005_is_caught() {
        assertThat(score("step: accuracy -3% at sd 0.005").detectedWithin3()).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void one_shift_gives_one_alert() {
        assertThat(score("step: accuracy 6 sd down").repeatAlertsPerShift()).isLessThanOrEqualTo(0.05);
        assertThat(score("step: latency 6 sd up (CV 5%)").repeatAlertsPerShift()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void a_single_outlier_gives_at_most_one_alert_and_no_change_point() {
        CorpusEvaluation.Score s = score("one outlier (8 sd) at run 50");
        assertThat(s.seriesWithChangePoint()).isZero();
        assertThat(s.outlierAlertsMax()).isLessThanOrEqualTo(1);
    }

    /**
     * A flaky run (20 sd off, a timeout or a broken runner) in a short series, whose noise sd is the plain one of its
     * successive differences: it multiplied that sd about fourfold, and a 5 sd step 3 runs later was caught in none of
     * 1,000 series (2026-12-05); with the flaky run left out of the sd, in 93-97% within 3 runs.
     */
    @Test
    void a_flaky_run_of_a_short_series_does_not_hide_a_5_sd_step_after_it() {
        for (LabelledCorpus.Scenario sc : LabelledCorpus.spikeScenarios()) {
            if (sc.stepSds() > 0) {
                assertThat(score(sc.name()).detectedWithin3()).as(sc.name()).isGreaterThanOrEqualTo(0.90);
            }
        }
    }

    @Test
    void a_short_series_of_noise_with_a_flaky_run_gives_under_half_a_false_alert_per_100_runs() {
        for (LabelledCorpus.Scenario sc : LabelledCorpus.spikeScenarios()) {
            if (sc.stepSds() == 0) {
                CorpusEvaluation.Score s = score(sc.name());
                assertThat(s.falseAlertsPer100()).as(sc.name()).isLessThan(0.5);
                assertThat(s.seriesWithChangePoint()).as(sc.name()).isLessThan(0.01);
            }
        }
    }

    @Test
    void an_improvement_is_never_a_regression() {
        assertThat(score("improvement: accuracy 6 sd up").falseAlertsPer100()).isLessThanOrEqualTo(0.5);
    }
}
