package dev.benchmon.server.web;

import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Compare tab's Reference and item-by-item selects, with no model chosen, offer what a filter bar lists: 130 models
 * {@code m000} to {@code m129} on dataset {@code d}, environment {@code ci}, within the last day; {@code m129} has three
 * runs, {@code m128} two, the others one.
 */
class CompareManyModelsTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        server.benchmon().recordAll(HourlyF1Runs.manyModels(NOW));
    }

    /** The option values of select {@code id}, the selected one marked with a leading {@code *}. */
    private static List<String> options(String html, String id) {
        String select = Html.byId(html, id);
        Matcher m = Pattern.compile("<option value=\"([^\"]*)\"( selected)?").matcher(select);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add((m.group(2) == null ? "" : "*") + m.group(1));
        }
        return out;
    }

    @Test
    void the_reference_select_offers_the_compared_models_first_and_a_hundred_in_all() {
        var r = server.get("/compare?range=7d");
        assertThat(r.statusCode()).isEqualTo(200);

        List<String> refs = options(r.body(), "f-ref");
        assertThat(refs).hasSize(OfferedNames.LISTED).startsWith("*m129", "m128", "m000", "m001", "m002");
        assertThat(Html.text(Html.byId(r.body(), "shown-note"))).startsWith("Compared: 5 of the 130 models with f1 runs");
    }

    @Test
    void a_model_asked_for_item_by_item_is_offered_even_past_the_first_hundred() {
        var r = server.get("/compare?range=7d&vs=m120");
        assertThat(r.statusCode()).isEqualTo(200);

        assertThat(options(r.body(), "f-vs")).contains("*m120").hasSizeLessThanOrEqualTo(OfferedNames.LISTED);
    }

    @Test
    void an_unknown_reference_is_named_with_the_first_fifty_models_and_a_count_of_the_rest() {
        var r = server.get("/compare?range=7d&ref=nope");
        assertThat(r.statusCode()).isEqualTo(400); // a value not understood: the page with a notice, as 400

        int at = r.body().indexOf("ref: the reference model");
        String note = Html.text(r.body().substring(at, r.body().indexOf("</li>", at)));
        assertThat(note).startsWith("ref: the reference model 'nope' is not among the models compared (m000, m001,")
                .contains("m049, ... and 80 more)").doesNotContain("m050");
    }
}
