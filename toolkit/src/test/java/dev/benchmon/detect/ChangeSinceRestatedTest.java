package dev.benchmon.detect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verdict of an alert whose opening run is excluded ({@link ChangeSince#restated}): its start among the runs that
 * count, in the SHA form its words had, and its figures labelled as the opening run's.
 */
class ChangeSinceRestatedTest {
    private static final String BEFORE = "9".repeat(40);
    private static final String OPENED = "a".repeat(40);
    private static final String NOW = "b".repeat(40);

    @Test
    void the_figures_are_labelled_as_the_opening_runs() {
        assertThat(ChangeSince.restated("f1 regression: -10.0 points (26.2 sd), since commit c9..c10", "c9", "c11",
                null, 35, 36)).isEqualTo("f1 regression since commit c9..c11; opened on run 35 at -10.0 points"
                + " (26.2 sd), excluded since: the change persists from run 36");
    }

    @Test
    void figures_after_the_start_stay_with_the_opening_runs() {
        assertThat(ChangeSince.restated("f1 change_point: -10.0 points (20.1 sd), level 0.9 -> 0.8, since commit"
                + " c9..c10, confidence 0.999", "c9", "c11", null, 35, 36))
                .isEqualTo("f1 change_point since commit c9..c11; opened on run 35 at -10.0 points (20.1 sd), level"
                        + " 0.9 -> 0.8, confidence 0.999, excluded since: the change persists from run 36");
    }

    @Test
    void words_with_whole_shas_are_restated_with_whole_shas() {
        assertThat(ChangeSince.restated("f1 change_point: -10.0 points (20.1 sd), since commit " + BEFORE + ".." + OPENED,
                BEFORE, NOW, null, 35, 36)).startsWith("f1 change_point since commit " + BEFORE + ".." + NOW + ";");
    }

    @Test
    void words_with_short_shas_stay_short() {
        assertThat(ChangeSince.restated("f1 regression: -10.0 points (26.2 sd), since commit 9999999..aaaaaaa",
                BEFORE, NOW, null, 35, 36)).startsWith("f1 regression since commit 999999999999..bbbbbbbbbbbb;");
    }
}
