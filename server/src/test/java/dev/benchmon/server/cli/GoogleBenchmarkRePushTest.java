package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.cli.PushCommandTest.Run;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Google Benchmark report pushed again, as a user or a CI job does: the same file is never stored twice and never
 * refused. The report of interest is as Google Benchmark 1.8 writes it with {@code --benchmark_repetitions=3} (each
 * repetition, then its {@code mean}, {@code median}, {@code stddev} and {@code cv} aggregates), its times in {@code us}
 * and {@code ms}, and no {@code context.date} (a report written by another reporter, or cut down by a script): its
 * results, keyed with its times as earlier versions read them (in the unit reported), were refused on a CI re-run.
 */
class GoogleBenchmarkRePushTest {
    private static final Path FILES = Path.of("..", "toolkit", "src", "test", "resources", "adapters").toAbsolutePath().normalize();
    private static final Path UNDATED = FILES.resolve("google-benchmark-no-date-us-ms-repetitions.json");

    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    private static Map<String, String> ci(String runId, String actor, String attempt) {
        return Map.of("GITHUB_ACTIONS", "true", "GITHUB_RUN_ID", runId, "GITHUB_SHA", "3f9c2a1", "GITHUB_REF_NAME",
                "main", "GITHUB_ACTOR", actor, "GITHUB_RUN_ATTEMPT", attempt);
    }

    private static Run push(Map<String, String> env, Path file, String model) {
        return PushCommandTest.run(env, "", "push", file.toString(), "--format", "google-benchmark", "--model-version",
                model, "--server", server.url());
    }

    /** Every stored row of the model's results (each attempt of a run: the log, not the history's current view). */
    private static List<Map<String, Object>> log(String model) {
        return server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT l.triggered_by, l.run_at, l.attempt, "
                        + "l.metrics->>'real_time' AS real_time FROM benchmark_log l JOIN series s ON s.id = l.series_id "
                        + "WHERE s.model_version = :m").bind("m", model).mapToMap().list());
    }

    /** The model's current results (the latest attempt of each run). */
    private static List<JsonNode> current(String model) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        ResultJson.mapper().readTree(server.get("/api/v1/history?model=" + model).body()).path("rows").forEach(rows::add);
        return rows;
    }

    @Test
    void an_undated_report_in_us_and_ms_with_repetitions_pushed_twice_is_already_present() throws IOException {
        Run first = push(Map.of(), UNDATED, "gb-twice");
        Run again = push(Map.of(), UNDATED, "gb-twice");

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).containsPattern("\\n0 +2 +0\\n");
        assertThat(current("gb-twice")).hasSize(2);
    }

    @Test
    void an_undated_report_pushed_again_is_told_it_matched_on_its_content_not_on_a_key_it_never_sent() {
        assertThat(push(Map.of(), UNDATED, "gb-why").exitCode()).isZero();

        Run again = push(Map.of(), UNDATED, "gb-why");

        assertThat(again.out()).contains("already present: a result with the same content (series, values and every "
                + "other field; it names no run_id or run_at) is stored").doesNotContain("send a new idempotency_key");
    }

    @Test
    void a_ci_re_run_that_pushes_the_same_undated_report_again_is_already_present_though_another_actor_re_ran_it()
            throws IOException {
        // GitHub "Re-run jobs" keeps GITHUB_RUN_ID and GITHUB_SHA; GITHUB_ACTOR is whoever re-ran the job
        Run first = push(ci("8100", "alice", "1"), UNDATED, "gb-rerun");
        Run rerun = push(ci("8100", "bob", "2"), UNDATED, "gb-rerun");

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
        assertThat(rerun.out()).containsPattern("\\n0 +2 +0\\n")
                .contains("already present: a result with the same run_id, series, run time and values is stored");
        assertThat(log("gb-rerun")).hasSize(2).allSatisfy(r -> assertThat(r.get("triggered_by")).isEqualTo("alice"));
    }

    @Test
    void a_dated_report_in_us_pushed_again_by_a_ci_re_run_is_already_present() throws IOException {
        Path dated = Files.writeString(dir.resolve("dated.json"), Files.readString(UNDATED)
                .replace("\"host_name\": \"build-agent-07\",", "\"date\": \"2026-12-01T09:14:03+00:00\",\n    "
                        + "\"host_name\": \"build-agent-07\","));
        assertThat(dated).content().contains("\"date\": \"2026-12-01T09:14:03+00:00\"");
        Run first = push(ci("8200", "alice", "1"), dated, "gb-dated");
        Run rerun = push(ci("8200", "bob", "2"), dated, "gb-dated");

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
        assertThat(rerun.out()).containsPattern("\\n0 +2 +0\\n");
        assertThat(log("gb-dated")).hasSize(2).allSatisfy(r -> assertThat(r.get("attempt")).isEqualTo(1));
    }

    @Test
    void a_dated_report_in_ns_pushed_twice_is_already_present() throws IOException {
        Path dated = FILES.resolve("google-benchmark.json");
        assertThat(push(Map.of(), dated, "gb-ns").exitCode()).isZero();

        Run again = push(Map.of(), dated, "gb-ns");

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).containsPattern("\\n0 +2 +0\\n")
                .contains("already present: a result with the same series, run time and values is stored");
        assertThat(current("gb-ns")).hasSize(2);
    }

    @Test
    void the_undated_report_posted_twice_to_the_api_is_already_present() throws IOException {
        String query = "/api/v1/results?format=google-benchmark&model_version=gb-api&run_id=8300";
        HttpResponse<String> first = server.postJson(query, Files.readString(UNDATED));
        HttpResponse<String> again = server.postJson(query, Files.readString(UNDATED));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        JsonNode answer = ResultJson.mapper().readTree(again.body());
        assertThat(answer.path("created").asInt()).isZero();
        assertThat(answer.path("already_present").asInt()).isEqualTo(2);
    }

    /**
     * One benchmark, {@code BM_Parse/1024}, run {@code repetitions} times in {@code us} (each repetition {@code 0.5}
     * slower than the one before), with the aggregates Google Benchmark adds, and no date.
     */
    private Path repeated(int repetitions) throws IOException {
        StringBuilder entries = new StringBuilder();
        double sum = 0;
        double[] times = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            times[i] = 120.0 + 0.5 * i;
            sum += times[i];
            entries.append(String.format(Locale.ROOT, """
                    {"name": "BM_Parse/1024", "family_index": 0, "per_family_instance_index": 0, "run_name": "BM_Parse/1024",
                     "run_type": "iteration", "repetitions": %d, "repetition_index": %d, "threads": 1, "iterations": 5832,
                     "real_time": %.16e, "cpu_time": %.16e, "time_unit": "us"},
                    """, repetitions, i, times[i], times[i] - 0.25));
        }
        double mean = sum / repetitions;
        double ss = 0;
        for (double t : times) {
            ss += (t - mean) * (t - mean);
        }
        double stddev = Math.sqrt(ss / (repetitions - 1));
        String[][] aggregates = {{"mean", "time", Double.toString(mean)},
                {"median", "time", Double.toString(times[repetitions / 2])},
                {"stddev", "time", Double.toString(stddev)}, {"cv", "percentage", Double.toString(stddev / mean)}};
        for (int a = 0; a < aggregates.length; a++) {
            double v = Double.parseDouble(aggregates[a][2]);
            entries.append(String.format(Locale.ROOT, """
                    {"name": "BM_Parse/1024_%s", "family_index": 0, "per_family_instance_index": 0, "run_name": "BM_Parse/1024",
                     "run_type": "aggregate", "repetitions": %d, "threads": 1, "aggregate_name": "%s", "aggregate_unit": "%s",
                     "iterations": %d, "real_time": %.16e, "cpu_time": %.16e, "time_unit": "us"}%s
                    """, aggregates[a][0], repetitions, aggregates[a][0], aggregates[a][1], repetitions, v, v,
                    a == aggregates.length - 1 ? "" : ","));
        }
        String json = "{\"context\": {\"host_name\": \"ci-runner\", \"executable\": \"./parse_bench\", \"num_cpus\": 2, "
                + "\"library_build_type\": \"release\"},\n \"benchmarks\": [\n" + entries + "]}\n";
        return Files.writeString(dir.resolve("parse-" + repetitions + ".json"), json);
    }

    @Test
    void the_same_benchmark_run_with_more_repetitions_is_a_new_run_of_its_series_with_its_own_n() throws IOException {
        Run three = push(Map.of(), repeated(3), "gb-reps");
        Run five = push(Map.of(), repeated(5), "gb-reps");

        assertThat(three.exitCode()).as(three.out() + three.err()).isZero();
        assertThat(five.exitCode()).as(five.out() + five.err()).isZero();
        assertThat(five.out()).containsPattern("\\n1 +0 +0\\n");
        assertThat(current("gb-reps")).hasSize(2) // two runs of one series: the means of 3 and 5 repetitions, in ns
                .extracting(r -> r.path("real_time").asDouble()).containsExactlyInAnyOrder(120.5e3, 121.0e3);
    }

    @Test
    void more_repetitions_pushed_by_a_ci_re_run_are_the_runs_next_attempt() throws IOException {
        Run three = push(ci("8400", "alice", "1"), repeated(3), "gb-reps-ci");
        Run five = push(ci("8400", "alice", "2"), repeated(5), "gb-reps-ci");

        assertThat(three.exitCode()).as(three.out() + three.err()).isZero();
        assertThat(five.exitCode()).as(five.out() + five.err()).isZero();
        assertThat(five.out()).contains("gb-reps-ci / BM_Parse/1024 @ci: stored (attempt 2 of run 8400: replaces attempt 1)");
        assertThat(current("gb-reps-ci")).singleElement()
                .satisfies(r -> assertThat(r.path("real_time").asDouble()).isEqualTo(121.0e3));
    }

    @Test
    void a_bad_time_unit_refuses_the_push_naming_the_entry_by_its_place_in_benchmarks() throws IOException {
        String text = Files.readString(UNDATED);
        int fourth = text.indexOf("\"time_unit\": \"us\"", text.indexOf("\"repetition_index\": 2"));
        Path bad = Files.writeString(dir.resolve("bad-unit.json"),
                text.substring(0, fourth) + "\"time_unit\": \"µs\"" + text.substring(fourth + "\"time_unit\": \"us\"".length()));

        Run r = push(Map.of(), bad, "gb-bad-unit");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("benchmarks[2].time_unit: \"µs\" is not a time unit Google Benchmark writes (ns, us, "
                + "ms or s), so the real_time and cpu_time of BM_Encode/4096/repeats:3 cannot be read");
        assertThat(current("gb-bad-unit")).isEmpty();
    }

    @Test
    void an_lm_eval_file_with_a_fractional_date_pushed_again_by_a_ci_re_run_is_already_present() throws IOException {
        // The other tool's file whose key earlier versions derived otherwise (its date read a microsecond earlier)
        Path lmEval = FILES.resolve("lm-eval-results_fraction-date.json");
        String[] args = {"push", lmEval.toString(), "--format", "lm-eval", "--model-version", "lm-rerun", "--server",
                server.url()};
        Run first = PushCommandTest.run(ci("8500", "alice", "1"), "", args);
        Run rerun = PushCommandTest.run(ci("8500", "bob", "2"), "", args);

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
        assertThat(rerun.out()).contains("already present").doesNotContain("attempt 2");
        assertThat(log("lm-rerun")).hasSize(current("lm-rerun").size()).allSatisfy(r -> assertThat(r.get("attempt")).isEqualTo(1));
    }
}
