package dev.benchmon.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verdict of an alert whose first run is excluded while its change persists, over real HTTP: the alert names the
 * first run of its change left (its commit range moves to it), and its verdict says where the change starts among the
 * runs that count and that the run it opened on is excluded, instead of the range of the excluded run.
 */
class ExcludedRunVerdictTest {
    @SharedServer
    private static TestServer server;

    private static final AtomicInteger SERIES = new AtomicInteger();

    /** A series of its own; run h has commit c{h}. */
    private static final class Series {
        final String model = "excluded-verdict-" + SERIES.incrementAndGet();
        int hour;
        /** The run excluded, once it is. */
        long excluded;

        /** Stores f1 = {@code f1} as the series' next run; its id. */
        long push(double f1) throws Exception {
            return AlertApi.push(server, model, hour++, "f1", f1);
        }

        /** The series' one alert, as {@code GET /api/v1/alerts} lists it. */
        JsonNode alert() throws Exception {
            return AlertApi.onlyAlert(server, model);
        }
    }

    /**
     * Ten runs of f1 near 0.90 (c0..c9), then a drop to 0.80 at c10 that persists at c11: the alert opens on c10
     * (c9..c10), and run c10 is excluded. Returns the series, its alert naming c11 now.
     */
    private static Series dropWithItsFirstRunExcluded() throws Exception {
        Series s = new Series();
        for (int i = 0; i < 10; i++) {
            s.push(i % 2 == 0 ? 0.898 : 0.902);
        }
        long first = s.push(0.80);
        s.push(0.80);
        JsonNode opened = s.alert();
        assertThat(opened.path("commit_range").asText()).as(opened.toString()).isEqualTo("c9..c10");
        assertThat(opened.path("verdict").asText()).as(opened.toString()).contains("since commit c9..c10");
        AlertApi.annotate(server, first, "excluded", "bad push");
        s.excluded = first;
        JsonNode kept = s.alert();
        assertThat(kept.path("state").asText()).as(kept.toString()).isEqualTo("open");
        assertThat(kept.path("commit_range").asText()).as(kept.toString()).isEqualTo("c9..c11");
        return s;
    }

    @Test
    void the_alert_page_shows_the_verdict_of_the_runs_that_count() throws Exception {
        Series s = dropWithItsFirstRunExcluded();
        JsonNode a = s.alert();

        String page = server.get("/alerts/" + a.path("id").asLong()).body();

        // (its history keeps the opening's words: "opened: f1 regression: ..., since commit c9..c10")
        assertThat(page).contains("<dt>Verdict</dt><dd>f1 regression since commit c9..c11; opened on run "
                + s.excluded + " at -10.0 points (32.9 sd), excluded since: the change persists from run "
                + a.path("transaction_id").asLong() + "</dd>");
    }

    @Test
    void including_the_run_again_gives_back_the_verdict_the_alert_opened_with() throws Exception {
        Series s = dropWithItsFirstRunExcluded();
        long first = s.excluded;

        AlertApi.annotate(server, first, "included", "it was fine");

        JsonNode a = s.alert();
        assertThat(a.path("transaction_id").asLong()).as(a.toString()).isEqualTo(first);
        assertThat(a.path("verdict").asText()).as(a.toString()).isEqualTo("f1 regression: -10.0 points (32.9 sd), since commit c9..c10");
    }

    @Test
    void the_api_verdict_names_the_range_of_the_runs_that_count_and_labels_the_figures_as_the_excluded_opening_runs() throws Exception {
        Series s = dropWithItsFirstRunExcluded();
        JsonNode a = s.alert();

        assertThat(a.path("verdict").asText()).as(a.toString())
                .isEqualTo("f1 regression since commit c9..c11; opened on run " + s.excluded
                        + " at -10.0 points (32.9 sd), excluded since: the change persists from run "
                        + a.path("transaction_id").asLong());
    }
}
