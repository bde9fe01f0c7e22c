package dev.benchmon.detect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stored verdict's explanation read back ({@link MetricVerdict#judgementText}) loses the words a verdict's text adds,
 * so that the text built from it again says them once ("changed (direction unknown): changed (direction unknown): ..."
 * on the run page).
 */
class StoredVerdictTextTest {
    @Test
    void aDirectionUnknownVerdictLosesItsPrefixAndAdvice() {
        String stored = "changed (direction unknown): +3.00 (+100.0%); declare it: benchmon metrics define tokens "
                + "--direction higher_is_better|lower_is_better|none";

        assertThat(MetricVerdict.judgementText("tokens", Outcome.CHANGED_DIRECTION_UNKNOWN, stored))
                .isEqualTo("+3.00 (+100.0%)");
    }

    /** Stored before the command quoted such names: its advice names the metric bare, and is cut all the same. */
    @Test
    void anOlderVerdictWhoseAdviceNamesTheMetricUnquotedIsCutToo() {
        String stored = "changed (direction unknown): +0.02 (+4.0%); declare it: benchmon metrics define acc,none "
                + "--direction higher_is_better|lower_is_better|none";

        assertThat(MetricVerdict.judgementText("acc,none", Outcome.CHANGED_DIRECTION_UNKNOWN, stored))
                .isEqualTo("+0.02 (+4.0%)");
    }

    @Test
    void anyOtherExplanationIsReadAsItIs() {
        assertThat(MetricVerdict.judgementText("f1", Outcome.REGRESSION, "f1 fell 4 noise sd")).isEqualTo("f1 fell 4 noise sd");
    }
}
