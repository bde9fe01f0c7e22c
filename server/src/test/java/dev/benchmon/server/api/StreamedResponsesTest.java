package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Filter;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/v1/snapshots and /history are written row by row from the database cursor; they answer exactly what
 * the toolkit's tables hold (the table path, {@link TableResponses}, is the reference): same columns, same rows,
 * same values, metrics as columns with nulls where a row lacks one, a metric named like a fixed column as
 * {@code metric:NAME}; instants as stored (microseconds), where a table's hold milliseconds; metrics differing only in
 * case under their stored names, where a table (unique names ignoring case) has {@code metric:2:NAME}.
 */
class StreamedResponsesTest {
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00.123456Z");
        List<BenchmarkResult> results = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) { // more than one fetch (500 rows) and more than the default limit
            boolean twin = i % 10 == 9; // a series whose metric differs from another's only in case
            BenchmarkResult.Builder b = BenchmarkResult.builder(twin ? "stream-twin" : "stream-m" + (i % 3), "d")
                    .environment("ci").runAt(t0.plusSeconds(60L * i)).commitSha("c" + i)
                    .notes(i % 7 == 0 ? " =leading space, \"quoted\"\n" : null)
                    .tag("gpu", i % 2 == 0 ? "a100" : "h100")
                    // Keys the database's collation may order otherwise than Java's String order ("Zone" < "gpu")
                    .tag("Zone", i % 3 == 0 ? "eu, west" : "us=1")
                    .metric(twin ? "F1" : "f1", 0.5 + i / 10_000.0).metric("latency_ms", 400 + i % 13);
            if (i % 5 == 0) {
                b.metric("run_at", 1.5); // a metric named like a fixed column
            }
            results.add(b.build());
        }
        server.benchmon().recordAll(results);
    }

    @Test
    void snapshots_as_json_equal_the_table() {
        assertSameJson("/api/v1/snapshots?environment=ci", server.benchmon().latestSnapshots(Filter.environment("ci")));
    }

    @Test
    void history_as_json_equals_the_table_past_several_fetches() {
        JsonNode body = assertSameJson("/api/v1/history?model=stream-m1&limit=300",
                history(Filter.model("stream-m1").withLimit(300)));
        assertThat(body.get("row_count").asInt()).isEqualTo(300);
        JsonNode all = assertSameJson("/api/v1/history?environment=ci&limit=1200",
                history(Filter.environment("ci").withLimit(1_200)));
        assertThat(all.get("columns").toString()).contains("\"F1\"", "\"f1\"", "\"metric:run_at\"").doesNotContain("f1_2");
    }

    @Test
    void history_above_the_buffered_size_streams_in_two_passes_with_the_same_answer() {
        // A limit above ResultStream.BUFFERED_ROWS (5,000): metric names first, then the rows from the cursor.
        JsonNode all = assertSameJson("/api/v1/history?environment=ci&limit=6000",
                history(Filter.environment("ci").withLimit(6_000)));
        assertThat(all.get("row_count").asInt()).isEqualTo(1_200);
        assertThat(all.get("columns").toString()).contains("\"F1\"", "\"f1\"", "\"metric:run_at\"").doesNotContain("f1_2");
    }

    @Test
    void history_of_one_series_named_by_its_four_names_equals_the_table() {
        // Every name given once: the series is looked up by id first, its re-runs once (FilterSql.ofCurrentLog).
        JsonNode body = assertSameJson("/api/v1/history?model=stream-m1&dataset=d&environment=ci&prompt=&limit=250",
                history(Filter.model("stream-m1").withDatasets("d").withEnvironments("ci").withPrompts("").withLimit(250)));
        assertThat(body.get("row_count").asInt()).isEqualTo(250);
        // The same ids as raw SQL over the view by the four names (not through FilterSql).
        List<Long> expected = server.benchmon().jdbi().withHandle(h -> h.createQuery("""
                SELECT id FROM benchmark_results_current WHERE model_version = 'stream-m1' AND dataset_version = 'd'
                  AND environment = 'ci' AND prompt_version = '' ORDER BY run_at DESC, id DESC LIMIT 250""")
                .mapTo(Long.class).list());
        List<Long> ids = new ArrayList<>();
        body.get("rows").forEach(row -> ids.add(row.get("id").asLong()));
        assertThat(ids).isEqualTo(expected);
    }

    @Test
    void history_of_named_metrics_has_those_columns_only() {
        assertSameJson("/api/v1/history?model=stream-m2&metric=latency_ms&limit=1000",
                history(Filter.model("stream-m2").withMetrics("latency_ms")));
    }

    @Test
    void history_gives_each_results_tags_as_the_json_object_it_was_sent_with() {
        server.benchmon().record(BenchmarkResult.builder("stream-tags", "d").environment("lab").metric("f1", 0.5)
                .tag("k,x", "v w").tag("a=b", "c").tag("cfg", "lr=0.1, bs=32").build());
        // The buffered answer and the streamed one (chosen metrics).
        for (String query : List.of("model=stream-tags", "model=stream-tags&metric=f1")) {
            JsonNode row = ResultsApiTest.json(server.get("/api/v1/history?" + query)).get("rows").get(0);
            assertThat(row.get("tags")).as(query).isEqualTo(ResultJson.mapper().createObjectNode()
                    .put("k,x", "v w").put("a=b", "c").put("cfg", "lr=0.1, bs=32"));
        }
    }

    @Test
    void history_and_snapshots_write_run_at_at_the_stored_microseconds_in_json_and_csv_alike() {
        for (String what : List.of("history", "snapshots")) {
            String query = "/api/v1/" + what + "?model=stream-m0&environment=ci";
            List<String> json = new ArrayList<>();
            ResultsApiTest.json(server.get(query)).get("rows").forEach(row -> json.add(row.get("run_at").asText()));
            if (what.equals("history")) {
                java.util.Collections.reverse(json); // the JSON answer newest first, the history file oldest first
            }
            HttpResponse<String> csv = server.get(query + "&format=csv");
            List<String[]> rows = new CsvParser(new CsvParserSettings()).parseAll(new StringReader(csv.body()));
            int runAt = List.of(rows.get(0)).indexOf("run_at");

            assertThat(json).as(what).isNotEmpty().allMatch(t -> t.matches("2026-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00\\.123456Z"));
            assertThat(rows.subList(1, rows.size()).stream().map(row -> row[runAt]).toList()).as(what).isEqualTo(json);
        }
    }

    @Test
    void history_gives_null_tags_for_a_result_sent_without_any() {
        server.benchmon().record(BenchmarkResult.builder("stream-no-tags", "d").environment("lab").metric("f1", 0.5).build());
        JsonNode row = ResultsApiTest.json(server.get("/api/v1/history?model=stream-no-tags")).get("rows").get(0);
        assertThat(row.get("tags").isNull()).isTrue();
    }

    @Test
    void history_as_csv_has_the_tables_rows_with_text_cells_guarded_and_kept_as_stored() {
        HttpResponse<String> r = server.get("/api/v1/history?model=stream-m0&format=csv");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        CsvParserSettings settings = new CsvParserSettings();
        settings.setIgnoreLeadingWhitespaces(false);
        settings.setIgnoreTrailingWhitespaces(false);
        settings.setNullValue("");
        settings.setMaxCharsPerColumn(-1);
        List<String[]> rows = new CsvParser(settings).parseAll(new StringReader(r.body()));
        Table expected = history(Filter.model("stream-m0"));
        // the CSV's own columns too (stderr, n, metadata, run_at_sent), which the JSON answer leaves out, before the metrics
        List<String> header = new ArrayList<>(expected.columnNames());
        header.addAll(header.indexOf("idempotency_key") + 1, List.of("stderr", "n", "metadata", "run_at_sent"));
        assertThat(rows.get(0)).containsExactlyElementsOf(header);
        List<String> columns = List.of(rows.get(0));
        int tags = columns.indexOf("tags");
        assertThat(rows).hasSize(expected.rowCount() + 1);
        int notes = columns.indexOf("notes");
        int f1 = columns.indexOf("f1");
        int runAt = columns.indexOf("run_at");
        for (int i = 0; i < expected.rowCount(); i++) {
            String[] row = rows.get(expected.rowCount() - i); // the table newest first, the history file oldest first
            String note = expected.stringColumn("notes").get(i);
            assertThat(row[notes]).isEqualTo(note.isEmpty() ? "" : FormulaGuard.guard(note));
            // {"gpu": "a100"}, as stored, where the table reads gpu=a100
            assertThat(row[tags]).startsWith("{");
            String listed = expected.stringColumn("tags").get(i);
            assertThat(pairs(json(row[tags]), listed)).isEqualTo(listed);
            assertThat(Double.parseDouble(row[f1])).isEqualTo(expected.doubleColumn("f1").get(i));
            // the stored microseconds (2026-01-01T00:00:00.123456Z), where the table's instant holds .123
            assertThat(row[runAt]).endsWith(":00.123456Z");
            assertThat(Instant.parse(row[runAt]).truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                    .isEqualTo(expected.instantColumn("run_at").get(i));
        }
        assertThat(r.body()).contains(",\" =leading space, \"\"quoted\"\"\n\",");
    }

    @Test
    void a_metric_name_a_spreadsheet_would_run_heads_its_csv_column_guarded() {
        server.benchmon().record(BenchmarkResult.builder("stream-formula", "d").environment("lab")
                .metric("=HYPERLINK(\"https://evil.example\",\"x\")", 1).build());
        HttpResponse<String> r = server.get("/api/v1/history?model=stream-formula&format=csv");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String[]> csv = new CsvParser(new CsvParserSettings()).parseAll(new StringReader(r.body()));
        assertThat(csv.get(0)).contains("'=HYPERLINK(\"https://evil.example\",\"x\")")
                .noneMatch(name -> name.startsWith("="));
    }

    @Test
    void a_tables_csv_guards_its_column_names_as_its_text_cells() {
        Table table = Table.create("t", tech.tablesaw.api.StringColumn.create("@SUM(A1)", "=1+2"));
        assertThat(TableResponses.csv(table).lines().toList()).containsExactly("'@SUM(A1)", "'=1+2");
    }

    @Test
    void history_passes_numbers_on_as_stored_and_they_read_back_as_the_same_doubles() {
        // Numbers Java writes with an exponent, which PostgreSQL's numeric keeps in plain decimal (1.0E-7 as 0.00000010).
        // The last two have a hundred digits or more in plain decimal: they come back through a double (ResultStream.MAX_NUMBER_TEXT).
        double[] values = {1.0E-7, 1.23456789E7, -2.5E-12, 0.1 + 0.2, 400.0, Double.MIN_VALUE, 1.0E100};
        BenchmarkResult.Builder b = BenchmarkResult.builder("stream-numbers", "d").environment("lab");
        for (int i = 0; i < values.length; i++) {
            b.metric("m" + i, values[i]);
        }
        server.benchmon().record(b.build());
        HttpResponse<String> json = server.get("/api/v1/history?model=stream-numbers");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        // Passed on as PostgreSQL wrote them, not parsed and formatted again.
        assertThat(json.body()).contains("\"m0\":0.00000010").doesNotContain("1.0E-7");
        JsonNode row = ResultsApiTest.json(json).get("rows").get(0);
        CsvParserSettings settings = new CsvParserSettings();
        settings.setNullValue("");
        List<String[]> csv = new CsvParser(settings).parseAll(new StringReader(
                server.get("/api/v1/history?model=stream-numbers&format=csv").body()));
        List<String> header = List.of(csv.get(0));
        List<String> cells = List.of(csv.get(1));
        for (int i = 0; i < values.length; i++) {
            assertThat(row.get("m" + i).isNumber()).as("m%d", i).isTrue();
            assertThat(row.get("m" + i).asDouble()).as("m%d", i).isEqualTo(values[i]);
            assertThat(Double.parseDouble(cells.get(header.indexOf("m" + i)))).as("m%d in CSV", i).isEqualTo(values[i]);
        }
    }

    @Test
    void snapshots_and_history_name_metrics_differing_only_in_case_as_stored_in_json() {
        recordCaseTwins();
        for (String what : List.of("snapshots", "history")) {
            JsonNode body = ResultsApiTest.json(server.get("/api/v1/" + what + "?model=case-caps,case-m1"));

            assertThat(body.get("columns").toString()).as(what).contains("\"F1\"", "\"f1\"").doesNotContain("f1_2");
            JsonNode caps = rowOf(body.get("rows"), "case-caps");
            JsonNode m1 = rowOf(body.get("rows"), "case-m1");
            assertThat(caps.get("F1").asDouble()).as(what).isEqualTo(0.4);
            assertThat(caps.get("f1").isNull()).as(what).isTrue();
            assertThat(m1.get("f1").asDouble()).as(what).isEqualTo(0.5);
            assertThat(m1.get("F1").isNull()).as(what).isTrue();
        }
    }

    @Test
    void snapshots_and_history_name_metrics_differing_only_in_case_as_stored_in_csv() {
        recordCaseTwins();
        for (String what : List.of("snapshots", "history")) {
            HttpResponse<String> r = server.get("/api/v1/" + what + "?model=case-caps,case-m1&format=csv");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            CsvParserSettings settings = new CsvParserSettings();
            settings.setNullValue("");
            List<String[]> csv = new CsvParser(settings).parseAll(new StringReader(r.body()));
            List<String> header = List.of(csv.get(0));

            assertThat(header).as(what).contains("F1", "f1").doesNotContain("f1_2");
            int model = header.indexOf("model_version");
            for (String[] row : csv.subList(1, csv.size())) {
                boolean caps = row[model].equals("case-caps");
                assertThat(row[header.indexOf("F1")]).as(what + " " + row[model]).isEqualTo(caps ? "0.4" : "");
                assertThat(row[header.indexOf("f1")]).as(what + " " + row[model]).isEqualTo(caps ? "" : "0.5");
            }
            assertThat(csv).as(what).hasSize(3);
        }
    }

    /** Series case-caps with metric F1 = 0.4 and case-m1 with f1 = 0.5, once however many tests ask. */
    private static void recordCaseTwins() {
        Instant at = Instant.parse("2026-02-01T00:00:00Z");
        server.benchmon().record(BenchmarkResult.builder("case-caps", "d").environment("case").runAt(at).metric("F1", 0.4)
                .idempotencyKey("case-caps").build());
        server.benchmon().record(BenchmarkResult.builder("case-m1", "d").environment("case").runAt(at).metric("f1", 0.5)
                .idempotencyKey("case-m1").build());
    }

    private static JsonNode rowOf(JsonNode rows, String model) {
        for (JsonNode row : rows) {
            if (row.get("model_version").asText().equals(model)) {
                return row;
            }
        }
        throw new AssertionError("no row of " + model + " in " + rows);
    }

    @Test
    void an_unknown_model_is_still_a_404_naming_it() {
        HttpResponse<String> r = server.get("/api/v1/history?model=no-such-model");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.body()).contains("no-such-model");
    }

    private static JsonNode json(String text) {
        try {
            return ResultJson.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The toolkit's history table, whose tags read {@code k=v, k=v} ({@link #pairs(JsonNode, String)}). */
    private static Table history(Filter filter) {
        return server.benchmon().history(filter);
    }

    /**
     * A tags object of the answer as the table reads the same tags, {@code k=v} pairs with {@code ", "} between them:
     * {@code listed} itself (the table's text) when it lists exactly the object's pairs, each once, in any order; else
     * the pairs in the object's order, so that the comparison with {@code listed} fails showing both. The table orders
     * its pairs by the database's collation, which no Java comparison of the keys reproduces. {@code null} for none.
     * (The answer's object itself: history_gives_each_results_tags_as_the_json_object_it_was_sent_with.)
     */
    private static String pairs(JsonNode tags, String listed) {
        if (tags == null || tags.isNull()) {
            return null;
        }
        List<String> pairs = new ArrayList<>();
        tags.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
        return listed != null && listsExactly(listed, 0, pairs) ? listed : String.join(", ", pairs);
    }

    /**
     * Whether {@code listed} from {@code at} on is the {@code pairs}, each once, in some order, {@code ", "} between
     * them. Every order is tried, as a key or value may itself hold {@code ", "} or {@code '='}.
     */
    private static boolean listsExactly(String listed, int at, List<String> pairs) {
        for (int i = 0; i < pairs.size(); i++) {
            String pair = pairs.get(i);
            if (!listed.startsWith(pair, at)) {
                continue;
            }
            int end = at + pair.length();
            List<String> rest = new ArrayList<>(pairs);
            rest.remove(i);
            if (rest.isEmpty() ? end == listed.length() : listed.startsWith(", ", end) && listsExactly(listed, end + 2, rest)) {
                return true;
            }
        }
        return pairs.isEmpty() && at == listed.length();
    }

    /** The columns that hold instants: the answer's are as stored (microseconds), a table's hold milliseconds. */
    private static final List<String> INSTANTS = List.of("run_at", "recorded_at", "first_seen", "last_seen");

    /** The row with its instants cut to the milliseconds a table holds. */
    private static JsonNode toMilliseconds(JsonNode row) {
        com.fasterxml.jackson.databind.node.ObjectNode cut = row.deepCopy();
        for (String name : INSTANTS) {
            if (cut.path(name).isTextual()) {
                cut.put(name, Instant.parse(cut.get(name).asText()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
            }
        }
        return cut;
    }

    /**
     * A table's JSON with its case-twin columns ({@code metric:2:f1}) under the metric's stored name ({@code f1}), as
     * the streamed answer names them; {@code metric:run_at} stays, as both name it.
     */
    private static JsonNode asStored(JsonNode table) {
        com.fasterxml.jackson.databind.node.ObjectNode out = (com.fasterxml.jackson.databind.node.ObjectNode) table.deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode columns = out.putArray("columns");
        table.get("columns").forEach(c -> columns.add(asStored(c.asText())));
        com.fasterxml.jackson.databind.node.ArrayNode rows = out.putArray("rows");
        for (JsonNode row : table.get("rows")) {
            com.fasterxml.jackson.databind.node.ObjectNode renamed = rows.addObject();
            row.fields().forEachRemaining(e -> renamed.set(asStored(e.getKey()), e.getValue()));
        }
        return out;
    }

    private static String asStored(String column) {
        return column.matches("metric:\\d+:.*") ? dev.benchmon.query.MetricColumns.metricName(column) : column;
    }

    private static JsonNode assertSameJson(String path, Table table) {
        HttpResponse<String> r = server.get(path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = ResultsApiTest.json(r);
        JsonNode expected; // through text, so numbers compare as a client reads them (not LongNode vs IntNode)
        try {
            expected = asStored(ResultJson.mapper().readTree(TableResponses.json(table).toString()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(body.get("columns")).isEqualTo(expected.get("columns"));
        assertThat(body.get("row_count")).isEqualTo(expected.get("row_count"));
        assertThat(body.get("rows").size()).isEqualTo(expected.get("rows").size());
        for (int i = 0; i < expected.get("rows").size(); i++) {
            JsonNode row = toMilliseconds(body.get("rows").get(i));
            if (row.has("tags")) { // the answer gives the stored object, the table its pairs
                ((com.fasterxml.jackson.databind.node.ObjectNode) row).put("tags",
                        pairs(row.get("tags"), expected.get("rows").get(i).path("tags").textValue()));
            }
            assertThat(row).as("row %d", i).isEqualTo(expected.get("rows").get(i));
        }
        return body;
    }
}
