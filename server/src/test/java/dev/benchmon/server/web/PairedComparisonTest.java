package dev.benchmon.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.cli.Main;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Paired comparison everywhere on the server side: results with examples pushed over HTTP, then compared by the
 * API, the Compare tab (with its flipped-items download) and {@code benchmon compare}, locally and via the server.
 *
 * <p>Data: dataset qa, 40 items q0..q39, slice topic=even/odd by index. Model base scores 1 on q8..q29 and
 * 0 elsewhere; model cand fixes q0..q7 (0 -> 1) and breaks q8, q9 (1 -> 0). Discordant pairs 2 and 8:
 * McNemar p = 2 (1 + 10 + 45) / 1024 = 0.109375; accuracy 22/40 = 0.55 against 28/40 = 0.7, diff 0.15.
 */
class PairedComparisonTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void seed() {
        ArrayNode batch = ResultJson.mapper().createArrayNode();
        batch.add(result("base", false, 2));
        batch.add(result("cand", true, 1));
        HttpResponse<String> r = server.postJson("/api/v1/results", batch.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static ObjectNode result(String model, boolean candidate, int hoursAgo) {
        ObjectNode o = ResultJson.mapper().createObjectNode().put("model_version", model).put("dataset_version", "qa")
                .put("environment", "ci").put("run_at", Instant.now().minus(hoursAgo, ChronoUnit.HOURS).toString());
        ArrayNode examples = o.putArray("examples");
        double sum = 0;
        for (int i = 0; i < 40; i++) {
            double base = i >= 8 && i < 30 ? 1 : 0;
            double score = candidate ? (i < 8 ? 1 : i < 10 ? 0 : base) : base;
            sum += score;
            ObjectNode e = examples.addObject().put("id", "q" + i).put("score", (int) score);
            e.putObject("slice").put("topic", i % 2 == 0 ? "even" : "odd");
        }
        o.putObject("metrics").put("accuracy", sum / 40).put("latency_ms", candidate ? 310 : 300);
        return o;
    }

    private static JsonNode json(HttpResponse<String> r) {
        return json(r.body());
    }

    private static JsonNode json(String body) {
        try {
            return ResultJson.mapper().readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void the_api_compares_two_models_item_by_item() {
        HttpResponse<String> r = server.get("/api/v1/compare?paired=true&model=base,cand&dataset=qa");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        JsonNode accuracy = body.at("/rows/0");
        assertThat(accuracy.path("metric").asText()).isEqualTo("accuracy");
        assertThat(accuracy.path("method").asText()).isEqualTo("paired_bootstrap+mcnemar_exact");
        assertThat(accuracy.path("diff").asDouble()).isCloseTo(0.15, within(1e-12));
        assertThat(accuracy.path("p_value").asDouble()).isCloseTo(0.109375, within(1e-12));
        assertThat(accuracy.path("b_higher").asInt()).isEqualTo(8);
        assertThat(accuracy.path("a_higher").asInt()).isEqualTo(2);
        assertThat(body.at("/flips/row_count").asInt()).isEqualTo(10);
        assertThat(body.at("/slices/rows/0/slice").asText()).isEqualTo("topic=even");
        assertThat(body.at("/a/model_version").asText()).isEqualTo("base");
        HttpResponse<String> csv = server.get("/api/v1/compare?paired=true&a=base&b=cand&dataset=qa&part=flips&format=csv");
        assertThat(csv.body().lines().toList()).hasSize(11).first().isEqualTo("item_id,score_a,score_b,flip,slice");
    }

    @Test
    void the_api_model_table_carries_intervals_p_values_and_the_method() {
        JsonNode body = json(server.get("/api/v1/compare?model=base,cand&metric=accuracy"));
        assertThat(body.path("columns").toString()).contains("diff", "ci_low", "ci_high", "p_value", "method");
        assertThat(body.at("/rows/1/method").asText()).isEqualTo("paired_bootstrap+mcnemar_exact");
        assertThat(body.at("/rows/1/p_value").asDouble()).isCloseTo(0.109375, within(1e-12));
    }

    @Test
    void bad_comparison_parameters_are_named() {
        HttpResponse<String> r = server.get("/api/v1/compare?paired=true&model=base&confidence=2");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("confidence").contains("paired=true compares two things");
        assertThat(server.get("/api/v1/compare?paired=true&a=nope&b=base&dataset=qa").statusCode()).isEqualTo(404);
    }

    @Test
    void an_unknown_b_is_a_404_naming_b() {
        HttpResponse<String> r = server.get("/api/v1/compare?a=base&b=nope&paired=true&dataset=qa");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(json(r).get("details").findValuesAsText("field")).containsExactly("b");
        assertThat(json(r).at("/details/0/message").asText()).startsWith("b: no model or result is named 'nope'");

        HttpResponse<String> first = server.get("/api/v1/compare?a=nope&b=base&paired=true&dataset=qa");
        assertThat(json(first).get("details").findValuesAsText("field")).containsExactly("a");
        HttpResponse<String> models = server.get("/api/v1/compare?model=base,nope&paired=true&dataset=qa");
        assertThat(models.statusCode()).as(models.body()).isEqualTo(404);
        assertThat(json(models).get("details").findValuesAsText("field")).containsExactly("model");
    }

    @Test
    void paired_with_one_or_three_models_names_model_not_a() {
        for (String models : List.of("base", "base,cand,base2")) {
            HttpResponse<String> r = server.get("/api/v1/compare?paired=true&dataset=qa&model=" + models);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(json(r).get("details").findValuesAsText("field")).as(models).containsExactly("model");
            assertThat(json(r).at("/details/0/message").asText()).contains("give exactly two models");
        }
        // One of a and b sent: the missing one is named.
        HttpResponse<String> onlyA = server.get("/api/v1/compare?paired=true&dataset=qa&a=base");
        assertThat(json(onlyA).get("details").findValuesAsText("field")).containsExactly("b");
    }

    @Test
    void a_bad_paired_value_lists_every_spelling_accepted() {
        HttpResponse<String> r = server.get("/api/v1/compare?paired=tru&a=base&b=cand");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("paired");
        assertThat(json(r).at("/details/0/message").asText())
                .isEqualTo("must be true or false (true/false, 1/0, yes/no or on/off), got 'tru'");
        assertThat(server.get("/api/v1/compare?paired=YES&a=base&b=cand&dataset=qa").statusCode()).isEqualTo(200);
    }

    @Test
    void on_and_off_mean_what_they_mean_on_the_dashboard() {
        assertThat(server.get("/api/v1/compare?paired=on&a=base&b=cand&dataset=qa").statusCode()).isEqualTo(200);
        assertThat(server.get("/api/v1/compare?paired=off&a=base&b=cand").body()).doesNotContain("must be true or false");
    }

    @Test
    void the_compare_tab_shows_the_paired_summary_slices_and_flipped_items() {
        // Another model's f1 makes f1 the default focus metric, which base and cand do not have.
        assertThat(server.postJson("/api/v1/results", "{\"model_version\": \"f1-elsewhere\", \"dataset_version\": "
                + "\"other\", \"metrics\": {\"f1\": 0.5}}").statusCode()).isEqualTo(201);
        String html = server.get("/compare?range=7d&model=base&model=cand&dataset=qa").body();
        List<List<String>> paired = Html.table(html, "paired-table");
        assertThat(paired.get(1)).startsWith("accuracy", "0.55", "0.7", "+0.15");
        assertThat(paired.get(1)).contains("0.1094", "paired bootstrap, McNemar's exact test", "8 / 2");
        List<List<String>> slices = Html.table(html, "slice-table");
        assertThat(slices).hasSize(3);
        List<List<String>> flips = Html.table(html, "flips-table");
        assertThat(flips).hasSize(11);
        assertThat(html).contains("id=\"flips-download\"").contains("compare_slices").contains("compare_diff_0");
        // Neither model has f1 (the default focus metric): the charts begin with accuracy, and the page says so.
        assertThat(html).contains("not a difference the data supports. accuracy first.").doesNotContain("f1 first.");
    }

    @Test
    void the_compare_tab_names_the_two_results_by_the_ids_they_are_stored_under() {
        String html = server.get("/compare?range=7d&model=base&model=cand&dataset=qa").body();

        assertThat(Html.paragraphs(Html.byId(html, "paired-header"))).startsWith("A (reference): result id "
                + newestId("base") + " (base on qa @ci)", "B: result id " + newestId("cand") + " (cand on qa @ci)");
    }

    /** The id of {@code model}'s newest stored result on qa (the one the Compare tab pairs). */
    private static long newestId(String model) {
        long id = -1;
        for (JsonNode row : json(server.get("/api/v1/history?model=" + model + "&dataset=qa")).path("rows")) {
            id = Math.max(id, row.path("id").asLong());
        }
        return id;
    }

    @Test
    void the_flipped_items_download_as_csv() {
        HttpResponse<String> r = server.get("/compare/flips.csv?range=7d&model=base&model=cand&dataset=qa&ref=base&vs=cand");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
        List<String> lines = r.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("item_id,score_a,score_b,flip,slice");
        assertThat(lines).hasSize(11).contains("q8,1.0,0.0,A higher,topic=even");
    }

    @Test
    void benchmon_compare_reads_the_database_and_the_server_alike() {
        Run local = cli("compare", "base", "cand", "--dataset", "qa", "--db", server.databaseUrl(), "--json");
        assertThat(local.exitCode()).as(local.err()).isZero();
        Run remote = cli("compare", "base", "cand", "--dataset", "qa", "--server", server.url(), "--json");
        assertThat(remote.exitCode()).as(remote.err()).isZero();
        assertThat(remote.out()).isEqualTo(local.out());
        Run text = cli("compare", "base", "cand", "--dataset", "qa", "--db", server.databaseUrl());
        assertThat(text.out()).contains("paired_bootstrap+mcnemar_exact", "+0.15", "0.1094", "topic=even",
                "10 item(s) scored differently");
    }

    @Test
    void benchmon_compare_lines_its_columns_up_in_a_terminal_when_a_metric_is_named_in_cjk() {
        for (String[] r : new String[][]{{"cjk-a", "0.5"}, {"cjk-b", "0.75"}}) {
            ObjectNode o = ResultJson.mapper().createObjectNode().put("model_version", r[0]).put("dataset_version", "cjk")
                    .put("environment", "ci");
            o.putObject("metrics").put("准确率", Double.parseDouble(r[1])).put("f1", Double.parseDouble(r[1]));
            assertThat(server.postJson("/api/v1/results", o.toString()).statusCode()).isEqualTo(201);
        }

        List<String> lines = cli("compare", "cjk-a", "cjk-b", "--dataset", "cjk", "--db", server.databaseUrl()).out()
                .lines().toList();

        // Each column starts at the same terminal column on every line: 准, 确 and 率 take two each.
        String header = lines.stream().filter(l -> l.startsWith("metric ")).findFirst().orElseThrow();
        String cjk = lines.stream().filter(l -> l.startsWith("准确率")).findFirst().orElseThrow();
        String ascii = lines.stream().filter(l -> l.startsWith("f1 ")).findFirst().orElseThrow();
        int method = header.indexOf("method");
        String how = ascii.substring(method).split(" ")[0]; // the method both rows name, where the header says
        assertThat(how).isNotBlank();
        assertThat(dev.benchmon.notebook.DisplayWidth.of(cjk.substring(0, cjk.lastIndexOf(how)))).isEqualTo(method);
    }

    @Test
    void benchmon_compare_prints_tiny_and_large_values_with_four_significant_digits() {
        for (String[] r : new String[][]{{"units-a", "0.00004", "1234.5678"}, {"units-b", "0.00005213", "1250.25"}}) {
            ObjectNode o = ResultJson.mapper().createObjectNode().put("model_version", r[0]).put("dataset_version", "units")
                    .put("environment", "ci");
            o.putObject("metrics").put("latency_s", Double.parseDouble(r[1])).put("total_ms", Double.parseDouble(r[2]));
            assertThat(server.postJson("/api/v1/results", o.toString()).statusCode()).isEqualTo(201);
        }

        Run text = cli("compare", "units-a", "units-b", "--dataset", "units", "--db", server.databaseUrl());

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).containsPattern("latency_s\\s+0\\.00004\\s+0\\.00005213\\s+\\+0\\.00001213\\s")
                .containsPattern("total_ms\\s+1234\\.6\\s+1250\\.3\\s+\\+15\\.68\\s")
                .doesNotContain("0.0000 ");
    }

    /**
     * The demo's history (what {@code serve --demo} loads: results without examples, stderr or n): comparing two model
     * versions on the command line judges each metric on their runs, as the API's unpaired comparison does, with the
     * same interval and p-value (it printed method none, no interval and no p for every metric).
     */
    @Test
    void benchmon_compare_of_two_model_versions_on_the_demo_history_gives_the_unpaired_apis_run_to_run_intervals() {
        try (TestServer demo = TestServer.start()) {
            assertThat(demo.benchmon().loadDemoData()).isPositive();

            Run cli = cli("compare", "medgemma-v1.2", "medgemma-v1.3", "--dataset", "benchmark-set-v3", "--environment",
                    "production", "--db", demo.databaseUrl(), "--json");
            Run text = cli("compare", "medgemma-v1.2", "medgemma-v1.3", "--dataset", "benchmark-set-v3", "--environment",
                    "production", "--db", demo.databaseUrl());
            JsonNode api = json(demo.get("/api/v1/compare?model=medgemma-v1.2&model=medgemma-v1.3&dataset=benchmark-set-v3"
                    + "&environment=production&metric=f1&format=json"));

            assertThat(cli.exitCode()).as(cli.err()).isZero();
            JsonNode f1 = rowOf(json(cli.out()), "metric", "f1", null);
            JsonNode unpaired = rowOf(api, "model_version", "medgemma-v1.3", "f1");
            assertThat(f1.path("method").asText()).isEqualTo("run_to_run_welch");
            for (String c : List.of("diff", "ci_low", "ci_high", "p_value")) {
                assertThat(f1.path(c).asDouble()).as(c).isCloseTo(unpaired.path(c).asDouble(), within(1e-9));
            }
            assertThat(f1.path("ci_low").asDouble()).isLessThan(f1.path("ci_high").asDouble());
            assertThat(text.out()).contains("note: judged on the runs of each model version on benchmark-set-v3 in production")
                    .doesNotContainPattern("\\snone\\s");
        }
    }

    /** The row of a table answer ({@code columns}, {@code rows}) whose {@code column} is {@code value} (and metric, if given). */
    private static JsonNode rowOf(JsonNode table, String column, String value, String metric) {
        for (JsonNode r : table.path("rows")) {
            if (r.path(column).asText().equals(value) && (metric == null || r.path("metric").asText().equals(metric))) {
                return r;
            }
        }
        throw new AssertionError("no row with " + column + " " + value + " in " + table);
    }

    @Test
    void benchmon_compare_names_what_it_cannot_find() {
        Run r = cli("compare", "base", "nothing-like-this", "--db", server.databaseUrl());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("b: no model or result is named 'nothing-like-this' (known: ")
                .contains("; give a model version (one of those known), a result id as #123 or a CI run id as run:555")
                .as("a database user is not sent to an HTTP endpoint").doesNotContain("/api/");
    }

    @Test
    void benchmon_compare_names_a_missing_result_without_listing_models() {
        Run r = cli("compare", "base", "#99999", "--dataset", "qa", "--db", server.databaseUrl());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("b: no result is named '#99999' (no result id 99999 is stored)")
                .contains("; give a model version, a result id as #123").doesNotContain("known", "cand", "/api/");
        assertThat(cli("compare", "base", "run:424242", "--db", server.databaseUrl()).err())
                .contains("b: no result is named 'run:424242' (no stored result has CI run id 424242)").doesNotContain("known:");
    }

    /**
     * {@code --flips} writes what {@code GET /api/v1/compare?part=flips&format=csv} answers, from the database or a
     * server alike: an item without slice labels has an empty slice cell (it read {@code null}).
     */
    @Test
    void compare_flips_writes_the_apis_csv_with_an_empty_cell_for_no_slice() throws Exception {
        for (String[] m : new String[][]{{"plain-a", "0"}, {"plain-b", "1"}}) {
            ObjectNode o = ResultJson.mapper().createObjectNode().put("model_version", m[0])
                    .put("dataset_version", "plain").put("environment", "ci");
            o.putObject("metrics").put("accuracy", 0.5);
            o.putArray("examples").addObject().put("id", "q2").put("score", Integer.parseInt(m[1]));
            o.withArray("examples").addObject().put("id", "q3").put("score", 1);
            assertThat(server.postJson("/api/v1/results", o.toString()).statusCode()).isEqualTo(201);
        }
        String api = server.get("/api/v1/compare?paired=true&a=plain-a&b=plain-b&dataset=plain&part=flips&format=csv").body();
        Path local = dir.resolve("local.csv");
        Path remote = dir.resolve("remote.csv");

        Run fromDb = cli("compare", "plain-a", "plain-b", "--flips", local.toString(), "--db", server.databaseUrl());
        Run fromServer = cli("compare", "plain-a", "plain-b", "--flips", remote.toString(), "--server", server.url());

        assertThat(fromDb.exitCode()).as(fromDb.err()).isZero();
        assertThat(fromServer.exitCode()).as(fromServer.err()).isZero();
        assertThat(api).isEqualTo("item_id,score_a,score_b,flip,slice\nq2,0.0,1.0,B higher,\n");
        assertThat(Files.readString(local)).isEqualTo(api);
        assertThat(Files.readString(remote)).isEqualTo(api);
        assertThat(fromDb.err()).contains("wrote 1 flipped item(s) to " + local);
        // Given --flips FILE, the text no longer offers it as what to do next.
        assertThat(fromDb.out()).contains("1 item(s) scored differently; --json lists them.").doesNotContain("--flips FILE");
        assertThat(fromServer.out()).contains("1 item(s) scored differently; --json lists them.").doesNotContain("--flips FILE");
        assertThat(cli("compare", "plain-a", "plain-b", "--db", server.databaseUrl()).out())
                .contains("1 item(s) scored differently; --flips FILE writes them as CSV, --json lists them.");
    }

    /**
     * {@code compare --flips FILE --server URL} asks the server once: the flips come from the comparison's own answer.
     * It asked twice (the JSON, then the flips as CSV), so the server compared the two results twice.
     */
    @Test
    void compare_flips_from_a_server_asks_it_once_and_writes_the_apis_csv() throws Exception {
        Path remote = dir.resolve("flips.csv");
        String api = server.get("/api/v1/compare?paired=true&a=base&b=cand&dataset=qa&part=flips&format=csv").body();
        long before = compareRequests();

        Run r = cli("compare", "base", "cand", "--dataset", "qa", "--flips", remote.toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(compareRequests() - before).isEqualTo(1);
        assertThat(Files.readString(remote)).isEqualTo(api).startsWith("item_id,score_a,score_b,flip,slice\n")
                .contains("q0,0.0,1.0,B higher,topic=even\n");
        assertThat(r.err()).contains("wrote 10 flipped item(s) to " + remote);
    }

    /** The requests to GET /api/v1/compare the server has answered, as its /metrics counts them (any status). */
    private static long compareRequests() {
        return server.get("/metrics").body().lines()
                .filter(l -> l.startsWith("benchmon_http_requests_total{route=\"/api/v1/compare\","))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void a_ci_run_id_of_several_results_is_refused_naming_their_result_ids() {
        long newer = push("shared-run-a", "ci", "p", "shared-run-7", 1);
        long older = push("shared-run-b", "ci", "p", "shared-run-7", 2);

        Run r = cli("compare", "run:shared-run-7", "shared-run-a", "--dataset", "qa", "--db", server.databaseUrl());
        assertThat(r.exitCode()).isEqualTo(2);
        // The dataset version was given, and both are on it: what tells them apart is the model.
        assertThat(r.err()).contains("run id 'shared-run-7' names 2 results (result ids " + newer + ", " + older
                + "), of models shared-run-a, shared-run-b; give a result id (#" + newer + " or #" + older + ")")
                .doesNotContain("name the dataset version");
    }

    /**
     * A CI run re-run (the same run id on the same series: its second attempt) names the latest attempt, as every
     * query reads a run; it was refused as naming two results, and every compare by run broke after a re-run.
     */
    @Test
    void a_ci_run_id_of_a_re_run_names_its_latest_attempt() {
        Instant at = Instant.now().minus(3, ChronoUnit.HOURS);
        long first = attempt(at, 0.50);
        long latest = attempt(at, 0.55); // new numbers for the same run, series and run_at: attempt 2
        push("rerun-base", "ci", "p", null, 4);
        assertThat(latest).isGreaterThan(first);
        int attemptOfLatest = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT attempt FROM "
                + "benchmark_transactions WHERE id = :id").bind("id", latest).mapTo(Integer.class).one());
        assertThat(attemptOfLatest).isEqualTo(2);

        Run db = cli("compare", "rerun-base", "run:rerun-run-5", "--dataset", "qa", "--db", server.databaseUrl(), "--json");
        Run remote = cli("compare", "rerun-base", "run:rerun-run-5", "--dataset", "qa", "--server", server.url(), "--json");
        HttpResponse<String> api = server.get("/api/v1/compare?paired=true&a=rerun-base&b=run:rerun-run-5&dataset=qa");

        assertThat(db.exitCode()).as(db.err()).isZero();
        assertThat(remote.exitCode()).as(remote.err()).isZero();
        assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        for (String answer : List.of(db.out(), remote.out(), api.body())) {
            assertThat(json(answer).at("/b/transaction_id").asLong()).as(answer).isEqualTo(latest);
        }
        // The earlier attempt is still a result one can name.
        Run older = cli("compare", "rerun-base", "#" + first, "--dataset", "qa", "--db", server.databaseUrl(), "--json");
        assertThat(older.exitCode()).as(older.err()).isZero();
        assertThat(json(older.out()).at("/b/transaction_id").asLong()).isEqualTo(first);
    }

    /** One attempt of CI run rerun-run-5 of series rerun-cand / qa / p @ci at {@code at}; its result id. */
    private static long attempt(Instant at, double accuracy) {
        ObjectNode o = ResultJson.mapper().createObjectNode().put("model_version", "rerun-cand").put("dataset_version", "qa")
                .put("environment", "ci").put("prompt_version", "p").put("run_at", at.toString()).put("run_id", "rerun-run-5");
        o.putObject("metrics").put("accuracy", accuracy);
        HttpResponse<String> r = server.postJson("/api/v1/results", o.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).at("/results/0/id").asLong();
    }

    /**
     * An ambiguous CI run id is refused under the side that gave it: {@code A} or {@code B} on the command line
     * (database and server alike), {@code a} or {@code b} in the API. It was refused under {@code result}, a field
     * the user never gave.
     */
    @Test
    void a_ci_run_id_of_several_results_is_refused_under_the_side_that_gave_it() {
        long newer = push("side-run-a", "ci", "p", "side-run-9", 1);
        long older = push("side-run-b", "ci", "p", "side-run-9", 2);
        String said = "run id 'side-run-9' names 2 results (result ids " + newer + ", " + older + ")";

        Run firstDb = cli("compare", "run:side-run-9", "base", "--dataset", "qa", "--db", server.databaseUrl());
        Run secondDb = cli("compare", "base", "run:side-run-9", "--dataset", "qa", "--db", server.databaseUrl());
        Run secondServer = cli("compare", "base", "run:side-run-9", "--dataset", "qa", "--server", server.url());
        HttpResponse<String> api = server.get("/api/v1/compare?paired=true&a=base&b=run:side-run-9&dataset=qa");

        assertThat(firstDb.exitCode()).as(firstDb.err()).isEqualTo(2);
        assertThat(firstDb.err()).contains("invalid A: " + said).doesNotContain("result: ");
        assertThat(secondDb.exitCode()).as(secondDb.err()).isEqualTo(2);
        assertThat(secondDb.err()).contains("invalid B: " + said).doesNotContain("result: ");
        assertThat(secondServer.exitCode()).as(secondServer.err()).isEqualTo(2);
        // The server's 400 in the command line's words, as the database's (it printed "invalid query parameter 'b'").
        assertThat(secondServer.err()).contains("invalid B: " + said).doesNotContain("'result'", "query parameter");
        assertThat(api.statusCode()).as(api.body()).isEqualTo(400);
        assertThat(json(api).get("details").findValuesAsText("field")).containsExactly("b");
        assertThat(json(api).at("/details/0/message").asText()).contains(said);
    }

    /** A bare number that is a result id and another result's CI run id is refused under its side, as above. */
    @Test
    void a_number_that_is_both_a_result_id_and_a_ci_run_id_is_refused_under_its_side() {
        long tx = push("both-side-owner", "ci", "p", null, 4);
        push("both-side-run", "ci", "p", String.valueOf(tx), 3);

        Run r = cli("compare", "base", String.valueOf(tx), "--dataset", "qa", "--db", server.databaseUrl());
        HttpResponse<String> api = server.get("/api/v1/compare?paired=true&a=" + tx + "&b=base&dataset=qa");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("invalid B: '" + tx + "' is both result id " + tx).doesNotContain("result: ");
        assertThat(api.statusCode()).as(api.body()).isEqualTo(400);
        assertThat(json(api).get("details").findValuesAsText("field")).containsExactly("a");
    }

    /**
     * A model whose every run is excluded is refused under its side too: {@code b} when sent as {@code b}, {@code model}
     * when the API was sent two models.
     */
    @Test
    void a_model_with_only_excluded_runs_is_refused_under_the_parameter_it_came_in() {
        long run = push("side-excluded", "ci", "p", null, 1);
        HttpResponse<String> excluded = server.postJson("/api/v1/runs/" + run + "/annotations",
                "{\"kind\": \"excluded\", \"reason\": \"flaky node\", \"actor\": \"ana\"}");
        assertThat(excluded.statusCode()).as(excluded.body()).isEqualTo(201);

        HttpResponse<String> sides = server.get("/api/v1/compare?paired=true&a=base&b=side-excluded&dataset=qa");
        HttpResponse<String> models = server.get("/api/v1/compare?paired=true&model=base,side-excluded&dataset=qa");

        assertThat(sides.statusCode()).as(sides.body()).isEqualTo(400);
        assertThat(json(sides).get("details").findValuesAsText("field")).containsExactly("b");
        assertThat(json(sides).at("/details/0/message").asText()).contains("model 'side-excluded' has no run that counts");
        assertThat(models.statusCode()).as(models.body()).isEqualTo(400);
        assertThat(json(models).get("details").findValuesAsText("field")).containsExactly("model");
    }

    /** Pushes one result of {@code model} on dataset qa (accuracy 0.5) and returns its transaction id. */
    private static long push(String model, String environment, String prompt, String runId, int hoursAgo) {
        ObjectNode o = ResultJson.mapper().createObjectNode().put("model_version", model).put("dataset_version", "qa")
                .put("environment", environment).put("prompt_version", prompt)
                .put("run_at", Instant.now().minus(hoursAgo, ChronoUnit.HOURS).toString());
        if (runId != null) {
            o.put("run_id", runId);
        }
        o.putObject("metrics").put("accuracy", 0.5);
        HttpResponse<String> r = server.postJson("/api/v1/results", o.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT max(id) FROM benchmark_transactions "
                + "WHERE model_version = :m AND environment = :e").bind("m", model).bind("e", environment)
                .mapTo(Long.class).one());
    }

    @Test
    void benchmon_compare_says_which_environment_and_prompt_a_and_b_differ_in() {
        push("only-local", "local", "analysis-v4", null, 1);
        push("only-ci", "ci", "analysis-v5", null, 2);

        Run text = cli("compare", "only-local", "only-ci", "--dataset", "qa", "--db", server.databaseUrl());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("warning: A and B ran in different environments (A: local, B: ci); compare runs "
                + "of one environment to compare like with like", "warning: A and B used different prompt versions "
                + "(A: analysis-v4, B: analysis-v5)");
        Run json = cli("compare", "only-local", "only-ci", "--dataset", "qa", "--server", server.url(), "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json(json.out()).path("warnings")).hasSize(2);
        assertThat(json.err()).contains("warning: A and B ran in different environments");
    }

    @Test
    void benchmon_compare_picks_the_environment_both_models_have_results_in() {
        long ci = push("mixed-a", "ci", "p", null, 5);
        push("mixed-a", "local", "p", null, 1); // A's newest result is a local one, which B has no counterpart of
        push("mixed-b", "ci", "p", null, 2);

        Run r = cli("compare", "mixed-a", "mixed-b", "--dataset", "qa", "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("A (reference): result id " + ci + " (mixed-a on qa @ci").doesNotContain("warning");
    }

    @Test
    void benchmon_compare_prints_the_reference_A_first_and_titles_the_comparison_A_vs_B() {
        long b = push("order-b", "ci", "p", null, 2); // B stored first: the lower id
        long a = push("order-a", "ci", "p", null, 3);

        Run r = cli("compare", "order-a", "order-b", "--dataset", "qa", "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsSubsequence("A (reference): result id " + a + " (order-a", "B: result id " + b + " (order-b");
        assertThat(server.benchmon().comparison(a, b, dev.benchmon.compare.CompareOptions.defaults()).summary().name())
                .isEqualTo("comparison " + a + " vs " + b); // no examples: not paired
    }

    @Test
    void benchmon_compare_refuses_models_sharing_several_environments_and_names_them() {
        push("both-a", "ci", "p", null, 3);
        push("both-a", "production", "p", null, 2);
        push("both-b", "ci", "p", null, 3);
        push("both-b", "production", "p", null, 1);

        Run r = cli("compare", "both-a", "both-b", "--dataset", "qa", "--db", server.databaseUrl());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("environment: 'both-a' and 'both-b' both have results on 'qa' in several "
                + "environments (ci, production); name the environment to compare like with like");
        Run pinned = cli("compare", "both-a", "both-b", "--dataset", "qa", "--environment", "production",
                "--server", server.url());
        assertThat(pinned.exitCode()).as(pinned.err()).isZero();
        assertThat(pinned.out()).contains("both-a on qa @production");
    }

    @Test
    void a_number_that_is_a_transaction_id_and_a_ci_run_id_is_refused_naming_both_readings() {
        long tx = push("tx-owner", "ci", "p", null, 4);
        long run = push("run-owner", "ci", "p", String.valueOf(tx), 3);
        push("other", "ci", "p", null, 2);

        Run r = cli("compare", String.valueOf(tx), "other", "--dataset", "qa", "--db", server.databaseUrl());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'" + tx + "' is both result id " + tx + " and CI run " + tx + " (result id " + run
                + "); write #" + tx + " for result id " + tx + " or run:" + tx + " for the CI run");
        Run transaction = cli("compare", "#" + tx, "other", "--dataset", "qa", "--db", server.databaseUrl());
        assertThat(transaction.out()).as(transaction.err()).contains("A (reference): result id " + tx + " (tx-owner");
        Run ciRun = cli("compare", "run:" + tx, "other", "--dataset", "qa", "--db", server.databaseUrl());
        assertThat(ciRun.out()).as(ciRun.err()).contains("A (reference): result id " + run + " (run-owner");
    }

    @Test
    void a_refused_comparison_says_invalid_input_without_claiming_nothing_was_stored() {
        push("two-datasets", "ci", "p", null, 2);
        ObjectNode o = ResultJson.mapper().createObjectNode().put("model_version", "two-datasets")
                .put("dataset_version", "qa-v2").put("environment", "ci").put("prompt_version", "p");
        o.putObject("metrics").put("accuracy", 0.5);
        assertThat(server.postJson("/api/v1/results", o.toString()).statusCode()).isEqualTo(201);

        Run r = cli("compare", "two-datasets", "base", "--db", server.databaseUrl());
        assertThat(r.exitCode()).isEqualTo(2);
        // The option the user would type (--dataset), not the toolkit's field (dataset).
        assertThat(r.err()).startsWith("error: invalid --dataset: model 'two-datasets' has results on "
                + "several dataset versions (qa, qa-v2); name the dataset version").doesNotContain("nothing was stored");
    }

    @Test
    void a_metric_the_shared_items_do_not_make_up_is_said_to_lack_stderr_not_shared_items() throws Exception {
        // The trial's qa-base/qa-tuned: accuracy reported as 0.7 and 0.76, the 40 items' mean 0.5 and 0.55, so the items
        // are compared as examples_mean and accuracy has no interval; the note said "carry no shared items".
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            a.append("{\"id\": \"m").append(i).append("\", \"score\": ").append(i < 20 ? 1 : 0).append("}\n");
            b.append("{\"id\": \"m").append(i).append("\", \"score\": ").append(i < 22 ? 1 : 0).append("}\n");
        }
        long[] ids = new long[2];
        String[][] runs = {{"mean-base", "0.7", a.toString()}, {"mean-tuned", "0.76", b.toString()}};
        for (int k = 0; k < 2; k++) {
            Path result = Files.writeString(dir.resolve("r" + k + ".json"), "{\"model_version\": \"" + runs[k][0]
                    + "\", \"dataset_version\": \"qa-mean\", \"metrics\": {\"accuracy\": " + runs[k][1] + "}}");
            Path examples = Files.writeString(dir.resolve("e" + k + ".jsonl"), runs[k][2]);
            Run push = cli("push", result.toString(), "--examples", examples.toString(), "--server", server.url());
            assertThat(push.exitCode()).as(push.err()).isZero();
            String model = runs[k][0];
            ids[k] = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT id FROM benchmark_transactions "
                    + "WHERE model_version = :m").bind("m", model).mapTo(Long.class).one());
        }

        Run byId = cli("compare", "#" + ids[0], "#" + ids[1], "--server", server.url());
        assertThat(byId.exitCode()).as(byId.err()).isZero();
        assertThat(byId.out()).contains("examples_mean", "40 shared items", "no interval for accuracy: the two results "
                + "carry shared items (examples) for examples_mean (the items' mean score, which equals no reported "
                + "metric within 1e-4) only, and no stderr or n for them").doesNotContain("no shared items");
        Run byModel = cli("compare", "mean-base", "mean-tuned", "--server", server.url());
        assertThat(byModel.exitCode()).as(byModel.err()).isZero();
        assertThat(byModel.out()).contains("no interval for accuracy: the latest results carry shared items (examples) "
                + "for examples_mean").doesNotContain("no shared items");
    }

    /** {@code benchmon push} of one result of {@code model} (accuracy 0.5 on qa) with {@code --examples} holding {@code items}. */
    private Run pushWithExamples(String model, String items) throws Exception {
        Path result = Files.writeString(dir.resolve("r.json"), "{\"model_version\": \"" + model + "\", \"dataset_version\": "
                + "\"qa\", \"metrics\": {\"accuracy\": 0.5}}");
        Path examples = Files.writeString(dir.resolve("examples.jsonl"), items);
        return cli("push", result.toString(), "--examples", examples.toString(), "--server", server.url());
    }

    @Test
    void push_attaches_examples_from_a_json_lines_file() throws Exception {
        Run push = pushWithExamples("jsonl", "{\"id\": \"q0\", \"score\": 1}\n{\"id\": \"q1\", \"score\": 0, \"slice\": {\"topic\": \"odd\"}}\n");
        assertThat(push.exitCode()).as(push.err()).isZero();
        long stored = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT o.item_count FROM example_outcomes o "
                + "JOIN benchmark_transactions t ON t.id = o.transaction_id WHERE t.model_version = 'jsonl'")
                .mapTo(Long.class).one());
        assertThat(stored).isEqualTo(2);

        Run bad = pushWithExamples("jsonl", "{\"id\": \"q0\", \"score\": 1}\n{\"id\": \"q1\"}\n");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("line 2: score: is required");
    }

    @Test
    void push_examples_problems_name_the_file_line_and_the_value_as_written() throws Exception {
        // A blank line, a score beyond double range and an id given twice: named line[1].score, got Infinity and
        // line[2].id (0-based among the valid items) before.
        Run bad = pushWithExamples("jsonl-lines", "{\"id\": \"q0\", \"score\": 1}\n\n{\"id\": \"q1\", \"score\": 1e400}\n"
                + "{\"id\": \"q2\", \"score\": 0}\n{\"id\": \"q0\", \"score\": 0}\n");

        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("line 3: score: must be a finite number, got 1e400",
                "line 5: id: 'q0' is given twice (first at line 1); each item once per result")
                .doesNotContain("Infinity", "line[");
        long stored = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions "
                + "WHERE model_version = 'jsonl-lines'").mapTo(Long.class).one());
        assertThat(stored).isZero();
    }

    /**
     * A result re-sent under the same idempotency key keeps its examples as first stored: the same examples (a retry)
     * are answered as already present, other examples are refused (push exit 2, API 400) naming the result, and
     * nothing changes.
     */
    @Test
    void re_pushing_a_stored_result_with_other_examples_is_refused_and_keeps_the_first() throws Exception {
        String items = "{\"id\": \"q0\", \"score\": 1}\n{\"id\": \"q1\", \"score\": 0}\n";
        assertThat(pushWithExamples("resent", items).exitCode()).isZero();
        long id = server.benchmon().jdbi().withHandle(h -> h.createQuery(
                "SELECT id FROM benchmark_transactions WHERE model_version = 'resent'").mapTo(Long.class).one());

        Run again = pushWithExamples("resent", items);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("already present");

        Run changed = pushWithExamples("resent", items.replace("\"score\": 1", "\"score\": 0"));
        assertThat(changed.exitCode()).isEqualTo(2);
        assertThat(changed.err()).contains("examples: result id " + id + " (", "kept as first stored (2 item(s))",
                "nothing was stored");

        HttpResponse<String> answer = server.postJson("/api/v1/results", "{\"model_version\": \"resent\", "
                + "\"dataset_version\": \"qa\", \"metrics\": {\"accuracy\": 0.5}, \"examples\": [{\"id\": \"q9\", \"score\": 1}]}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        JsonNode problem = json(answer).path("details").path(0);
        assertThat(problem.path("field").asText()).isEqualTo("examples");
        assertThat(problem.path("message").asText()).contains("result id " + id, "kept as first stored");

        List<String> stored = server.benchmon().jdbi().withHandle(h -> h.createQuery(
                "SELECT item_key || '=' || score FROM v_example_outcomes WHERE transaction_id = :id ORDER BY item_key")
                .bind("id", id).mapTo(String.class).list());
        assertThat(stored).containsExactly("q0=1", "q1=0");
    }
}
