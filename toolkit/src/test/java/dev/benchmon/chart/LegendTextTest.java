package dev.benchmon.chart;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How charts shorten long names in legends ({@link PlotlyText#legend}) and span a single instant ({@link TimeAxis}). */
class LegendTextTest {
    @Test
    void a_name_of_at_most_40_characters_is_shown_whole() {
        String forty = "m".repeat(40);

        assertThat(PlotlyText.legend(forty)).isEqualTo(forty);
        assertThat(PlotlyText.legend(null)).isEmpty();
    }

    @Test
    void a_longer_name_keeps_its_first_26_and_last_13_characters_around_an_ellipsis() {
        String name = "medgemma-" + "x".repeat(40) + "-v1.3 · d @ci";

        assertThat(PlotlyText.legend(name)).isEqualTo("medgemma-xxxxxxxxxxxxxxxxx…-v1.3 · d @ci").hasSize(40);
    }

    @Test
    void a_small_charts_legend_keeps_the_same_two_thirds_and_one_third_of_fewer_characters() {
        String name = "medgemma-" + "x".repeat(20) + "-v1.3 @ci"; // 38 characters

        assertThat(PlotlyText.legend(name, PlotlyText.SMALL_LEGEND_CHARS)).isEqualTo("medgemma-xxxxxxx…1.3 @ci").hasSize(24);
        assertThat(PlotlyText.legend(name, 40)).isEqualTo(PlotlyText.legend(name)).isEqualTo(name);
    }

    @Test
    void characters_beyond_the_basic_plane_count_as_one_and_are_never_split() {
        String name = "🚀".repeat(45);

        String shown = PlotlyText.legend(name);
        assertThat(shown.codePointCount(0, shown.length())).isEqualTo(40);
        assertThat(shown).isEqualTo("🚀".repeat(26) + "…" + "🚀".repeat(13));
    }

    @Test
    void names_that_differ_only_in_the_middle_keep_where_they_differ_in_a_small_legend() {
        List<String> names = List.of("org/very-long-model-name-v1-final-checkpoint",
                "org/very-long-model-name-v2-final-checkpoint", "short-name");

        List<String> shown = PlotlyText.legends(names, PlotlyText.SMALL_LEGEND_CHARS);

        assertThat(PlotlyText.legend(names.get(0), 24)).as("alike as legend() shortens them")
                .isEqualTo(PlotlyText.legend(names.get(1), 24));
        assertThat(shown).containsExactly("org/v…v1-final-che…point", "org/v…v2-final-che…point", "short-name");
        assertThat(shown).allSatisfy(s -> assertThat(s.codePointCount(0, s.length())).isLessThanOrEqualTo(24));
    }

    @Test
    void names_that_shorten_apart_are_shown_as_legend_shortens_them() {
        List<String> names = List.of("medgemma-" + "x".repeat(20) + "-v1.3 @ci", "medgemma-" + "x".repeat(20) + "-v1.4 @ci");

        assertThat(PlotlyText.legends(names, 24)).containsExactly("medgemma-xxxxxxx…1.3 @ci", "medgemma-xxxxxxx…1.4 @ci");
    }

    @Test
    void names_still_alike_around_where_the_group_starts_to_differ_are_shown_whole() {
        // All three differ from "org/model-" + 30 x on; the first two again only 16 characters later, past what 24 show.
        String prefix = "org/model-" + "x".repeat(30);
        String a = prefix + "a" + "y".repeat(15) + "1" + "y".repeat(5) + "-end";
        String b = prefix + "a" + "y".repeat(15) + "2" + "y".repeat(5) + "-end";
        String c = prefix + "b" + "y".repeat(21) + "-end";

        assertThat(PlotlyText.legends(List.of(a, b, c), 24)).containsExactly(a, b, "org/m…byyyyyyyyyyy…y-end");
    }

    @Test
    void points_at_one_instant_span_a_day_either_side_and_points_at_two_keep_plotlys_range() {
        Instant t = Instant.parse("2026-12-01T00:00:00Z");

        assertThat(TimeAxis.singlePointRange(Arrays.asList(t, null, t)))
                .containsExactly(Instant.parse("2026-11-30T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z"));
        assertThat(TimeAxis.singlePointRange(List.of(t, t.plusSeconds(1)))).isEmpty();
        assertThat(TimeAxis.singlePointRange(List.of())).isEmpty();
        assertThat(TimeAxis.singlePointRange(List.of(t), dev.benchmon.Bucket.HOUR.width()))
                .containsExactly(Instant.parse("2026-11-30T23:00:00Z"), Instant.parse("2026-12-01T01:00:00Z"));
    }
}
