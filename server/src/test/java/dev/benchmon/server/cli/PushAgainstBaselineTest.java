package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static dev.benchmon.server.cli.PushCommandTest.hourly;
import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon push} of a run or a few shows each metric against its baseline, ok ones too, in the terminal and the
 * job summary: a clean push printed only its counts, and a CI log said nothing of the values it stored.
 */
class PushAgainstBaselineTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    /** Ten runs about 0.90: past the short-history rule, so a verdict has its distance in noise sd. */
    private static final double[] STEADY = {0.90, 0.91, 0.90, 0.89, 0.90, 0.91, 0.90, 0.89, 0.90, 0.91};

    private final Instant t = Instant.now().minus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    private PushCommandTest.Run push(Map<String, String> env, String name, String jsonl) throws IOException {
        return run(env, "", "push", Files.writeString(dir.resolve(name), jsonl).toString(), "--server", server.url());
    }

    @Test
    void a_clean_push_lists_each_metric_against_its_baseline() throws IOException {
        push(Map.of(), "steady.jsonl", hourly("against-clean", t, 0, STEADY));

        PushCommandTest.Run clean = push(Map.of(), "clean.jsonl", hourly("against-clean", t, STEADY.length, 0.905));

        assertThat(clean.exitCode()).as(clean.err()).isZero();
        assertThat(clean.out()).containsPattern("\\nresult 1 \\(id \\d+\\) against-clean / d @local against its baseline:\\n"
                        + "  metric +value +baseline +change +verdict\\n"
                        + "  f1 +0\\.9050 +0\\.9000 +\\+0\\.5 points +ok \\(\\d+\\.\\d sd\\)\\n")
                .doesNotContain("regressions:");
    }

    @Test
    void a_regressed_metric_is_listed_with_its_grade_beside_the_others() throws IOException {
        push(Map.of(), "steady.jsonl", hourly("against-drop", t, 0, STEADY));

        PushCommandTest.Run drop = push(Map.of(), "drop.jsonl", hourly("against-drop", t, STEADY.length, 0.70));

        assertThat(drop.out()).containsPattern("\\n  f1 +0\\.7000 +0\\.9000 +-20\\.0 points +regression, critical \\(\\d+\\.\\d sd\\)\\n")
                .contains("regressions:");
    }

    /** A metric the run lacks and one new to the series: a dash where there is no number, and the verdict says why. */
    @Test
    void a_missing_metric_and_a_new_one_have_dashes_where_they_have_no_number() throws IOException {
        StringBuilder steady = new StringBuilder();
        for (int i = 0; i < STEADY.length; i++) {
            steady.append("{\"model_version\":\"against-dash\",\"dataset_version\":\"d\",\"run_at\":\"")
                    .append(t.plus(i, ChronoUnit.HOURS)).append("\",\"metrics\":{\"f1\":").append(STEADY[i])
                    .append(",\"acc\":0.7}}\n");
        }
        push(Map.of(), "steady.jsonl", steady.toString());

        PushCommandTest.Run next = push(Map.of(), "next.jsonl", "{\"model_version\":\"against-dash\",\"dataset_version\":"
                + "\"d\",\"run_at\":\"" + t.plus(STEADY.length, ChronoUnit.HOURS) + "\",\"metrics\":{\"f1\":0.9,\"bleu\":0.3}}\n");

        assertThat(next.out()).containsPattern("\\n  acc +- +0\\.7000 +- +missing\\n")
                .containsPattern("\\n  bleu +0\\.3000 +- +- +no baseline\\n");
    }

    @Test
    void a_back_fill_of_many_series_keeps_to_its_counts() throws IOException {
        StringBuilder many = new StringBuilder();
        for (int s = 0; s < PushSummary.MAX_JUDGED_LISTED + 1; s++) {
            many.append(hourly("against-many-" + s, t, 0, 0.90, 0.91, 0.90, 0.89, 0.90, 0.91, 0.90));
        }

        PushCommandTest.Run backFill = push(Map.of(), "many.jsonl", many.toString());

        assertThat(backFill.exitCode()).as(backFill.err()).isZero();
        assertThat(backFill.out()).doesNotContain("against its baseline");
    }

    @Test
    void a_push_in_several_requests_lists_only_the_newest_run_of_its_series() throws IOException {
        push(Map.of(), "steady.jsonl", hourly("against-batches", t, 0, STEADY));
        Path two = Files.writeString(dir.resolve("two.jsonl"), hourly("against-batches", t, STEADY.length, 0.905, 0.895));

        PushCommandTest.Run batched = run(Map.of(), "", "push", two.toString(), "--batch-size", "1", "--server", server.url());

        assertThat(batched.exitCode()).as(batched.err()).isZero();
        assertThat(batched.out().split("against its baseline:", -1)).as(batched.out()).hasSize(2);
        assertThat(batched.out()).containsPattern("\\nresult 2 \\(id \\d+\\) against-batches / d @local against its baseline:\\n")
                .containsPattern("\\n  f1 +0\\.8950 ");
    }

    @Test
    void a_request_with_more_runs_standing_than_a_few_answers_no_judged_metrics() throws IOException {
        StringBuilder body = new StringBuilder("[");
        for (int s = 0; s <= dev.benchmon.server.ingest.IngestReport.JUDGED_AT_MOST; s++) {
            push(Map.of(), "steady-" + s + ".jsonl", hourly("against-cap-" + s, t, 0, STEADY));
            body.append(s == 0 ? "" : ",").append(hourly("against-cap-" + s, t, STEADY.length, 0.905).strip());
        }

        JsonNode answer = ResultJson.mapper().readTree(server.postJson("/api/v1/results", body.append(']').toString()).body());

        assertThat(answer.path("results")).hasSize(dev.benchmon.server.ingest.IngestReport.JUDGED_AT_MOST + 1)
                .allSatisfy(r -> assertThat(r.path("judged")).isEmpty());
    }

    @Test
    void the_job_summary_has_the_same_table() throws IOException {
        push(Map.of(), "steady.jsonl", hourly("against-md", t, 0, STEADY));
        Path summary = dir.resolve("summary.md");

        push(Map.of("GITHUB_STEP_SUMMARY", summary.toString()), "clean.jsonl", hourly("against-md", t, STEADY.length, 0.905));

        assertThat(Files.readString(summary)).contains("**Against the baseline**")
                .containsPattern("\\| result 1 \\(id \\d+\\) \\| against-md / d &#64;local \\| f1 \\| 0\\.9050 \\| 0\\.9000 \\| "
                        + "\\+0\\.5 points \\| ok \\(\\d+\\.\\d sd\\) \\|");
    }

    @Test
    void the_push_answer_lists_every_metric_of_the_newest_run_of_each_series_only() throws IOException {
        push(Map.of(), "steady.jsonl", hourly("against-api", t, 0, 0.90, 0.91, 0.90, 0.89, 0.90, 0.91));
        String two = "[" + String.join(",", hourly("against-api", t, 6, 0.90, 0.905).strip().split("\n")) + "]";

        JsonNode answer = ResultJson.mapper().readTree(server.postJson("/api/v1/results", two).body());

        assertThat(answer.path("results").get(0).path("judged")).as("an earlier run of the push").isEmpty();
        assertThat(answer.path("results").get(1).path("judged")).singleElement().satisfies(m -> {
            assertThat(m.path("metric").asText()).isEqualTo("f1");
            assertThat(m.path("outcome").asText()).isEqualTo("ok");
            assertThat(m.path("baseline").asDouble()).isEqualTo(0.90);
            assertThat(m.path("current").asDouble()).isEqualTo(0.905);
        });
    }
}
