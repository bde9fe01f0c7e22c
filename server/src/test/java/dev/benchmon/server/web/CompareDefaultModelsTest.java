package dev.benchmon.server.web;

import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Compare tab with no model chosen compares the reference and the models with the most runs, five in all, and says
 * so; the reference can still be any model. Eight models {@code m1} to {@code m8} on dataset {@code d}, environment
 * {@code ci}, within the last week: {@code mK} has {@code 9 - K} runs of f1 ({@code m1} eight, {@code m8} one).
 */
class CompareDefaultModelsTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        // m1 to m8: index k is model m(k + 1), with 8 - k runs
        server.benchmon().recordAll(HourlyF1Runs.of(NOW, 8, k -> "m" + (k + 1), k -> 8 - k,
                (k, run) -> 0.7 + (k + 1) / 100.0 + run / 1000.0));
    }

    private static String page(String path) {
        var r = server.get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    /** The models of the statistics table, the reference's "(reference)" left out. */
    private static TreeSet<String> compared(String html) {
        TreeSet<String> models = new TreeSet<>();
        for (List<String> row : Html.table(html, "stats-table")) {
            for (String cell : row) { // the metric's cell spans its rows: the model is not always the second
                if (cell.matches("m\\d( \\(reference\\))?")) {
                    models.add(cell.replace(" (reference)", ""));
                }
            }
        }
        return models;
    }

    @Test
    void without_a_chosen_model_the_reference_and_the_four_with_the_most_runs_are_compared() {
        String html = page("/compare?range=7d");

        assertThat(html).contains("<h2>Compared with m1</h2>");
        assertThat(compared(html)).containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(Html.text(Html.byId(html, "shown-note"))).isEqualTo("Compared: 5 of the 8 models with f1 runs in this view, "
                + "the reference and those with the most, then by name; choose models in the filter bar to compare others.");
    }

    @Test
    void any_model_can_still_be_the_reference_and_is_compared_with_the_four_with_the_most_runs() {
        String html = page("/compare?range=7d&ref=m8");

        assertThat(html).contains("<h2>Compared with m8</h2>");
        assertThat(compared(html)).containsExactly("m1", "m2", "m3", "m4", "m8");
        String select = Html.byId(html, "f-ref");
        for (int k = 1; k <= 8; k++) {
            assertThat(select).contains("value=\"m" + k + "\"");
        }
    }

    @Test
    void models_chosen_in_the_filter_bar_are_all_compared_without_the_note() {
        String html = page("/compare?range=7d&model=m6&model=m7&model=m8&model=m1&model=m2&model=m3");

        assertThat(compared(html)).containsExactly("m1", "m2", "m3", "m6", "m7", "m8");
        assertThat(html).doesNotContain("id=\"shown-note\"");
    }

    @Test
    void the_choice_ranks_by_runs_then_name_and_keeps_the_reference_first() {
        Map<String, Long> runs = Map.of("a", 3L, "b", 5L, "c", 5L, "d", 1L);
        assertThat(ComparePage.mostRunModels(runs, "d", List.of("a", "b", "c", "d", "e"), 3)).containsExactly("d", "b", "c");
        assertThat(ComparePage.mostRunModels(Map.of(), "a", List.of("a", "b", "c", "d"), 3)).containsExactly("a", "b", "c");
        // Fewer models with runs of the focus metric than room: the rest by name.
        assertThat(ComparePage.mostRunModels(Map.of("e", 2L), "e", List.of("a", "b", "c", "d", "e"), 3)).containsExactly("e", "a", "b");
    }
}
