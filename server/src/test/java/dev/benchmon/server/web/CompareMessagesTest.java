package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static dev.benchmon.server.web.SnapshotPageTest.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Compare page says when it cannot compare what the URL asks for. On the shared page fixture, models of their
 * own: {@code cmpmsg-recent} with two runs in the default range (the last 30 days) and {@code cmpmsg-old-<&>} with one
 * run 60 days ago, both on dataset {@code cmpmsg-d}, and {@code cmpmsg-elsewhere} with one recent run on dataset
 * {@code cmpmsg-e} only.
 */
class CompareMessagesTest {
    private static final String RECENT = "cmpmsg-recent";
    private static final String OLD = "cmpmsg-old-<&>";
    private static final String ELSEWHERE = "cmpmsg-elsewhere";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private static final Instant OLD_RUN = NOW.minus(Duration.ofDays(60));
    private final DashboardFixture f = DashboardFixture.shared();

    static {
        DashboardFixture.shared().benchmon.recordAll(List.of(
                BenchmarkResult.builder(RECENT, "cmpmsg-d").runAt(NOW.minus(Duration.ofDays(2))).metric("f1", 0.5).build(),
                BenchmarkResult.builder(RECENT, "cmpmsg-d").runAt(NOW.minus(Duration.ofDays(1))).metric("f1", 0.6).build(),
                BenchmarkResult.builder(OLD, "cmpmsg-d").runAt(OLD_RUN).metric("f1", 0.7).build(),
                BenchmarkResult.builder(ELSEWHERE, "cmpmsg-e").runAt(NOW.minus(Duration.ofDays(1))).metric("f1", 0.4)
                        .build()));
    }

    /** The text of the page's note on models without runs in the range. */
    private static String absentNote(String html) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=\"absent-note\">([^<]*)<").matcher(html);
        assertThat(m.find()).as("an absent-note in the page").isTrue();
        return Html.text(m.group(1));
    }

    @Test
    void a_model_without_runs_in_the_range_is_named_with_its_last_run_where_nothing_is_compared() {
        HttpResponse<String> r = f.get("/compare?model=" + enc(RECENT + "," + OLD));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(absentNote(r.body())).isEqualTo(OLD + " has no runs in the last 30 days: its last run was "
                + Formats.minutes(OLD_RUN) + " UTC (60 days ago). Widen the time range in the filter bar to compare it "
                + "here; the item-by-item comparison below takes each model's latest result, whenever it ran.");
        assertThat(r.body()).contains("Nothing to compare with " + RECENT + " in this view.")
                .doesNotContain("The reference needs results on the same dataset version");
    }

    @Test
    void a_model_without_runs_in_the_dataset_choice_gets_no_advice_to_widen_the_time_range() {
        HttpResponse<String> r = f.get("/compare?dataset=cmpmsg-d&model=" + enc(RECENT + "," + ELSEWHERE));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(absentNote(r.body())).isEqualTo(ELSEWHERE + " has no runs with this dataset, environment and prompt "
                + "choice.");
    }

    @Test
    void the_absent_models_name_is_escaped_in_the_note() {
        HttpResponse<String> r = f.get("/compare?model=" + enc(RECENT + "," + OLD));

        assertThat(r.body()).contains("cmpmsg-old-&lt;&amp;&gt; has no runs").doesNotContain(OLD + " has");
    }

    @Test
    void over_all_time_both_models_are_compared_and_no_model_is_said_to_be_absent() {
        HttpResponse<String> r = f.get("/compare?range=all&model=" + enc(RECENT + "," + OLD));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("absent-note", "Nothing to compare");
    }

    @Test
    void empty_a_and_b_are_named_with_what_the_page_reads_instead() {
        HttpResponse<String> r = f.get("/compare?a=&b=");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>a: the Compare page does not read a (a and b are parameters of GET "
                        + "/api/v1/compare?paired=true); choose the models to compare in the filter bar (model)",
                "<li>b: the Compare page does not read b").doesNotContain("id=\"ignored-parameters\"");
    }
}
