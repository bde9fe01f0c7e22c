package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.DatabaseException;
import dev.benchmon.Filter;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.RecordOutcome;
import dev.benchmon.ValidationException;
import dev.benchmon.db.TransientFailures;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.support.TestDatabases;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.benchmon.support.Results.T0;
import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingTest {
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    private long logRows() {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions").mapTo(Long.class).one());
    }

    private long runCount(String model) {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT run_count FROM benchmark_snapshots WHERE model_version = :m")
                .bind("m", model).mapTo(Long.class).one());
    }

    @Test
    void a_small_write_and_a_big_one_store_the_same_values() {
        BenchmarkResult.Builder full = BenchmarkResult.builder("same", "d").promptVersion("p 1").modelProvider("prov")
                .environment("ci").metric("f1", 0.1234567890123).metric("latency_ms", 1e-7).stderr("f1", 0.01)
                .sampleSize("f1", 1319).runAt(T0).commitSha("abc1234").branch("main\\x").triggeredBy("ci")
                .tag("a", "1").tag("b", "back\\slash \"q\"").notes("n\u00e9 \\ x").metadata("seed", 1)
                .metadata("gpu", Map.of("kind", "a100", "count", 8)).metadata("big", new java.math.BigDecimal("1E+3"));
        List<BenchmarkResult> big = new java.util.ArrayList<>();
        for (int i = 0; i <= ResultWriter.JSON_CHUNK; i++) { // one past the JSON chunk: COPYed
            big.add(full.runId("big-" + i).build());
        }
        bm.recordAll(big);
        bm.recordAll(List.of(full.runId("small").build()));
        List<Map<String, Object>> rows = bm.jdbi().withHandle(h -> h.createQuery("""
                SELECT prompt_version, model_provider, environment, metrics::text, stderr::text, sample_sizes::text, run_at,
                       commit_sha, branch, triggered_by, tags::text, notes, metadata::text, attempt
                FROM benchmark_transactions WHERE run_id IN ('big-0', 'small') ORDER BY run_id""").mapToMap().list());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)).isEqualTo(rows.get(0));
    }

    @Test
    void a_write_on_a_session_that_dropped_its_staging_table_is_stored() {
        // Writes past the JSON chunk: COPYed, so the writer opens the session's staging table once and then relies on it
        // (a smaller write stages from JSON, which opens the table every time).
        List<BenchmarkResult> first = new ArrayList<>();
        List<BenchmarkResult> second = new ArrayList<>();
        for (int i = 0; i <= ResultWriter.JSON_CHUNK; i++) {
            first.add(result("staged", "d", i, 0.8, 100));
            second.add(result("staged", "d", ResultWriter.JSON_CHUNK + 1 + i, 0.81, 100));
        }
        // Both writes and the DISCARD on one handle: Jdbi hands a write on this thread the handle already open here, so
        // all three run on one session.
        bm.jdbi().useHandle(h -> {
            bm.recordAll(first);
            assertThat(h.createQuery("SELECT to_regclass('pg_temp.benchmark_ingest_staging') IS NOT NULL")
                    .mapTo(Boolean.class).one()).as("the write's session, holding its staging table").isTrue();
            // The session drops its TEMP tables, the staging table among them, which any login may do.
            h.execute("DISCARD TEMP");
            bm.recordAll(second);
        });
        assertThat(runCount("staged")).isEqualTo(2L * (ResultWriter.JSON_CHUNK + 1));
    }

    @Test
    void standard_errors_and_sample_sizes_are_stored_with_the_result() {
        bm.record(BenchmarkResult.fromJson("""
                {"model_version": "m", "dataset_version": "gsm8k", "metrics": {"acc": 0.61, "f1": 0.7},
                 "stderr": {"acc": 0.0134}, "n": 1319}"""));
        var row = bm.jdbi().withHandle(h -> h.createQuery(
                "SELECT stderr::text AS se, sample_sizes::text AS n FROM benchmark_transactions").mapToMap().one());
        assertThat(row.get("se")).isEqualTo("{\"acc\": 0.0134}");
        assertThat(row.get("n")).isEqualTo("{\"f1\": 1319, \"acc\": 1319}");
    }

    @Test
    void a_standard_error_of_a_metric_the_result_does_not_have_is_refused() {
        assertThatThrownBy(() -> BenchmarkResult.fromJson("""
                {"model_version": "m", "dataset_version": "d", "metrics": {"acc": 0.6}, "stderr": {"f1": 0.01}}"""))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("stderr.f1").hasMessageContaining("names no metric");
        assertThat(logRows()).isZero();
    }

    @Test
    void the_sample_file_is_recorded_with_its_five_metrics() throws Exception {
        String json = Files.readString(Path.of("..", "samples", "sample_benchmark_results.json"));
        RecordOutcome outcome = bm.record(BenchmarkResult.fromJson(json));
        assertThat(outcome.created()).isTrue();
        Table latest = bm.latestSnapshots();
        assertThat(latest.rowCount()).isEqualTo(1);
        assertThat(latest.stringColumn("model_version").get(0)).isEqualTo("medgemma-v1.2");
        assertThat(latest.stringColumn("prompt_version").get(0)).isEqualTo("analysis-v4");
        assertThat(latest.doubleColumn("f1").get(0)).isEqualTo(0.895);
        assertThat(latest.doubleColumn("latency_ms").get(0)).isEqualTo(412.0);
        assertThat(latest.doubleColumn("analysis_cost").get(0)).isEqualTo(0.0042);
    }

    @Test
    void resending_the_same_idempotency_key_returns_the_same_id_and_changes_nothing() {
        RecordOutcome first = bm.record(result("m", "d", 1, 0.9, 100));
        RecordOutcome again = bm.record(result("m", "d", 1, 0.9, 100));
        assertThat(again.transactionId()).isEqualTo(first.transactionId());
        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(logRows()).isEqualTo(1);
        assertThat(runCount("m")).isEqualTo(1);
    }

    /**
     * A result re-sent under its own idempotency key with other values is refused, naming the fields, the stored result
     * and what to do, and nothing of the batch is stored; the same values (a retry), or fewer (a field left out, tags
     * in another order, 0.10 for 0.1), are still answered as already present.
     */
    @Test
    void a_key_re_sent_with_other_values_is_refused_and_a_retry_is_already_present() {
        BenchmarkResult first = BenchmarkResult.fromJson("""
                {"model_version": "m", "dataset_version": "d", "environment": "ci", "metrics": {"f1": 0.1, "acc": 0.5},
                 "stderr": {"f1": 0.01}, "n": 100, "tags": {"a": "1", "b": "2"}, "notes": "first",
                 "metadata": {"seed": 1, "gpu": {"kind": "a100", "count": 8}}, "idempotency_key": "run-7"}""");
        long id = bm.record(first).transactionId();
        RecordOutcome retry = bm.record(BenchmarkResult.fromJson("""
                {"idempotency_key": "run-7", "metadata": {"gpu": {"count": 8.0, "kind": "a100"}}, "tags": {"b": "2", "a": "1"},
                 "metrics": {"acc": 0.50, "f1": 0.10}, "environment": "ci", "dataset_version": "d", "model_version": "m"}"""));
        assertThat(retry.created()).isFalse();
        assertThat(retry.transactionId()).isEqualTo(id);

        BenchmarkResult changed = first.toBuilder().metric("f1", 0.2).tag("a", "9").build();
        assertThatThrownBy(() -> bm.recordAll(List.of(result("other", "d", 1, 0.9, 100), changed)))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    ValidationException.Problem p = e.problems().get(0);
                    assertThat(p.index()).isEqualTo(1);
                    assertThat(p.field()).isEqualTo("metrics");
                    assertThat(p.message()).contains("result id " + id + " (m / d @ci)", "other metrics, tags",
                            "another idempotency_key");
                });
        for (BenchmarkResult other : List.of(first.toBuilder().environment("prod").build(),
                first.toBuilder().runAt(T0).build(), first.toBuilder().notes("second").build(),
                first.toBuilder().stderr("f1", 0.02).build(), first.toBuilder().sampleSize("f1", 99).build(),
                first.toBuilder().metadata("seed", 2).build(), first.toBuilder().modelProvider("x").build())) {
            assertThatThrownBy(() -> bm.record(other)).as(other.toString()).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("result id " + id);
        }
        assertThat(logRows()).isEqualTo(1);
        assertThat(bm.models()).containsExactly("m");
    }

    @Test
    void a_ci_retry_with_the_same_run_id_is_deduplicated_without_an_explicit_key() {
        BenchmarkResult r = BenchmarkResult.builder("m", "d").runId("ci-123").metric("f1", 0.9).build();
        bm.record(r);
        bm.record(r);
        assertThat(logRows()).isEqualTo(1);
    }

    @Test
    void record_judged_refuses_two_different_results_of_one_run_naming_run_id_and_stores_nothing() {
        List<BenchmarkResult> twoOfOneRun = List.of(
                BenchmarkResult.builder("m", "d").runId("ci-7").metric("f1", 0.8).build(),
                BenchmarkResult.builder("m", "d").runId("ci-7").metric("f1", 0.6).build());

        assertThatThrownBy(() -> bm.recordJudged(twoOfOneRun, Map.of(), DetectionOverrides.NONE))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> {
                            assertThat(p.field()).isEqualTo("run_id");
                            assertThat(p.message()).startsWith("result 2 (results[1]) and result 1 (results[0]) are two different results");
                        }));
        assertThat(logRows()).isZero();
    }

    @Test
    void an_identical_result_without_any_identity_sent_twice_is_stored_once() {
        BenchmarkResult r = BenchmarkResult.builder("m", "d").metric("f1", 0.9).build();
        bm.record(r);
        bm.record(r);
        assertThat(logRows()).isEqualTo(1);
        assertThat(runCount("m")).isEqualTo(1);
    }

    @Test
    void results_without_any_identity_that_differ_are_each_stored() {
        bm.record(BenchmarkResult.builder("m", "d").metric("f1", 0.9).build());
        bm.record(BenchmarkResult.builder("m", "d").metric("f1", 0.9).notes("second run").build());
        assertThat(logRows()).isEqualTo(2);
        assertThat(runCount("m")).isEqualTo(2);
    }

    @Test
    void a_batch_with_a_repeated_key_stores_it_once_and_reports_both_positions() {
        List<RecordOutcome> out = bm.recordAll(List.of(result("m", "d", 1, 0.9, 100), result("m", "d", 1, 0.9, 100),
                result("m", "d", 2, 0.8, 100)));
        assertThat(out).extracting(RecordOutcome::created).containsExactly(true, false, true);
        assertThat(out.get(0).transactionId()).isEqualTo(out.get(1).transactionId());
        assertThat(logRows()).isEqualTo(2);
    }

    @Test
    void a_late_arriving_older_result_is_logged_but_does_not_replace_a_newer_snapshot() {
        bm.record(result("m", "d", 10, 0.95, 100));
        bm.record(result("m", "d", 5, 0.50, 300)); // older run, arrives later
        Table latest = bm.latestSnapshots();
        assertThat(latest.doubleColumn("f1").get(0)).isEqualTo(0.95);
        assertThat(latest.instantColumn("run_at").get(0)).isEqualTo(T0.plusSeconds(10 * 3600));
        assertThat(latest.instantColumn("first_seen").get(0)).isEqualTo(T0.plusSeconds(5 * 3600));
        assertThat(latest.longColumn("run_count").get(0)).isEqualTo(2);
        assertThat(logRows()).isEqualTo(2);
    }

    @Test
    void a_newer_result_moves_the_snapshot_forward() {
        bm.record(result("m", "d", 5, 0.50, 300));
        bm.record(result("m", "d", 10, 0.95, 100));
        assertThat(bm.latestSnapshots().doubleColumn("f1").get(0)).isEqualTo(0.95);
    }

    @Test
    void eight_concurrent_writers_on_one_series_leave_an_exact_run_count_and_the_newest_snapshot() throws Exception {
        int writers = 8;
        int perWriter = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        int hour = i * writers + writer; // interleaved run_at across writers
                        bm.record(result("hot", "d", hour, hour / 1000.0, 100));
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        int newest = writers * perWriter - 1;
        assertThat(runCount("hot")).isEqualTo(writers * perWriter);
        Table latest = bm.latestSnapshots(Filter.model("hot"));
        assertThat(latest.doubleColumn("f1").get(0)).isEqualTo(newest / 1000.0);
        assertThat(latest.instantColumn("run_at").get(0)).isEqualTo(T0.plusSeconds(newest * 3600L));
        assertThat(logRows()).isEqualTo(writers * perWriter);
    }

    @Test
    void an_invalid_result_in_a_json_batch_stores_nothing() {
        String batch = "[{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.9}},"
                + "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":\"high\"}}]";
        assertThatThrownBy(() -> bm.recordAll(BenchmarkResult.listFromJson(batch)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("result 2, results[1].metrics.f1: must be a number");
        assertThat(logRows()).isZero();
    }

    @Test
    void a_file_with_a_nan_metric_is_recorded_without_that_value_as_benchmon_import_records_it() throws Exception {
        Path file = Files.createTempFile("benchmon-nan-", ".json");
        try {
            Files.writeString(file, "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":NaN,\"acc\":0.5}}");
            java.io.PrintStream err = System.err;
            java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                assertThat(bm.recordFile(file)).singleElement().satisfies(o -> assertThat(o.created()).isTrue());
            } finally {
                System.setErr(err);
            }
            // said, as benchmon import says it (the builder refuses the same NaN outright)
            assertThat(logged.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("WARN", file.toString(),
                    "1 value(s) not stored as sent", "metrics.f1");
            Table latest = bm.latestSnapshots(Filter.model("m"));
            assertThat(latest.doubleColumn("acc").get(0)).isEqualTo(0.5);
            assertThat(latest.columnNames()).doesNotContain("f1");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void a_file_with_a_metric_beyond_double_range_is_refused_as_too_large_and_nothing_is_stored() throws Exception {
        Path file = Files.createTempFile("benchmon-huge-", ".json");
        try {
            Files.writeString(file, "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1e400,\"a\":1}}");
            assertThatThrownBy(() -> bm.recordFile(file))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("metrics.f1: must be at most 1e100 in magnitude, got 1e400")
                    .hasMessageNotContaining("Infinity");
            assertThat(logRows()).isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void a_tools_file_recorded_as_benchmons_own_format_names_the_format_to_read_it_with_and_stores_nothing() {
        Path lmEval = dev.benchmon.support.RepositoryFiles.resolve("toolkit/src/test/resources/adapters/lm-eval-results.json");
        assertThatThrownBy(() -> bm.recordFile(lmEval))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.field()).isEqualTo("format");
                            // The call to make instead, in a form that compiles where the user is: recordFile's
                            // own format argument (BenchmarkResult.from(...) returns a list, which bm.record refuses).
                            assertThat(p.message()).contains("this looks like lm-eval output",
                                    "use bm.recordFile(path, \"lm-eval\") (or bm.recordFile(path, \"auto\"))");
                        }));
        assertThat(logRows()).isZero();
    }

    @Test
    void a_tools_file_that_names_no_model_is_recorded_with_the_names_given_as_overrides_which_its_refusal_names() {
        Path wandb = dev.benchmon.support.RepositoryFiles.resolve("toolkit/src/test/resources/adapters/wandb-summary.json");
        assertThatThrownBy(() -> bm.recordFile(wandb, "wandb")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("bm.recordFile(path, \"wandb\", ResultOverrides.model(\"...\").withDataset(\"...\")) (Java)");

        assertThat(bm.recordFile(wandb, "wandb", dev.benchmon.ingest.adapters.ResultOverrides.model("wandb-given")
                .withDataset("given-dataset"))).isNotEmpty().allSatisfy(o -> assertThat(o.created()).isTrue());
        assertThat(bm.models()).contains("wandb-given");
        assertThat(bm.latestSnapshots(Filter.model("wandb-given")).stringColumn("dataset_version").asList())
                .containsOnly("given-dataset");
    }

    @Test
    void record_file_with_a_tools_format_records_its_results_and_the_directions_it_states() {
        Path lmEval = dev.benchmon.support.RepositoryFiles.resolve("toolkit/src/test/resources/adapters/lm-eval-results.json");
        assertThat(bm.recordFile(lmEval, "lm-eval")).isNotEmpty().allSatisfy(o -> assertThat(o.created()).isTrue());
        assertThat(bm.models()).contains("EleutherAI/pythia-160m@step100000");
        assertThat(bm.direction("acc,none")).isEqualTo(dev.benchmon.MetricDirection.HIGHER_IS_BETTER);
        assertThatThrownBy(() -> bm.recordFile(lmEval, "tensorboard")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("unknown format 'tensorboard'");
    }

    @Test
    void json_lines_are_read_one_result_per_line() {
        String lines = "{\"model_version\":\"a\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.9}}\n"
                + "{\"model_version\":\"b\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.8}}\n";
        assertThat(bm.recordAll(BenchmarkResult.listFromJson(lines))).hasSize(2);
        assertThat(bm.models()).containsExactly("a", "b");
    }

    @Test
    void bulk_import_reports_progress_per_chunk_and_stores_everything_once() {
        int chunk = ResultWriter.CHUNK_SIZE;
        List<BenchmarkResult> many = new ArrayList<>();
        for (int i = 0; i < 2 * chunk + 500; i++) {
            many.add(BenchmarkResult.builder("bulk", "d" + (i % 7)).environment("ci").runAt(T0.plusSeconds(60L * i))
                    .metric("f1", 0.5 + (i % 10) / 100.0).metric("latency_ms", 100 + i % 13).idempotencyKey("bulk|" + i).build());
        }
        List<Integer> progress = new ArrayList<>();
        List<RecordOutcome> first = bm.importAll(many, progress::add);
        List<RecordOutcome> again = bm.importAll(many, n -> { }); // a re-run of the same import stores nothing new
        assertThat(progress).containsExactly(chunk, 2 * chunk, 2 * chunk + 500);
        assertThat(logRows()).isEqualTo(2 * chunk + 500);
        // Outcomes in input order, indexes counting from the first result across chunks; a re-run finds the same rows.
        assertThat(first).extracting(RecordOutcome::index).isEqualTo(java.util.stream.IntStream.range(0, many.size()).boxed().toList());
        assertThat(first).allMatch(RecordOutcome::created);
        assertThat(again).extracting(RecordOutcome::transactionId).isEqualTo(first.stream().map(RecordOutcome::transactionId).toList());
        assertThat(again).noneMatch(RecordOutcome::created);
        assertThat(bm.latestSnapshots(Filter.model("bulk")).rowCount()).isEqualTo(7);
    }

    /** The database refuses the series "refused" (as a full disk or a lost connection would refuse a write). */
    private void refuseSeriesNamedRefused() {
        bm.jdbi().useHandle(h -> {
            h.execute("CREATE FUNCTION refuse_series() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN RAISE EXCEPTION 'series % is refused by the test', NEW.model_version; END $$");
            h.execute("CREATE TRIGGER refuse_series BEFORE INSERT ON series FOR EACH ROW "
                    + "WHEN (NEW.model_version = 'refused') EXECUTE FUNCTION refuse_series()");
        });
    }

    @Test
    void a_small_write_the_database_refuses_names_the_statement_that_ran() {
        refuseSeriesNamedRefused();
        // Staged from JSON in the one statement (the PL/pgSQL context in the database's message names
        // ingest_staged_results too, which upsert_benchmark_results calls: the statement is named before it).
        assertThatThrownBy(() -> bm.recordAll(List.of(result("refused", "d", 0, 0.8, 100))))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("could not record 1 result(s) with SELECT ordinal, transaction_id, created "
                        + "FROM upsert_benchmark_results(CAST(:results AS jsonb)): ")
                .hasMessageContaining("series refused is refused by the test")
                .hasMessageEndingWith("[SQLSTATE P0001]");
    }

    @Test
    void a_copy_the_database_refuses_is_the_statements_failure_named_as_the_copy_not_an_unreachable_database() {
        try (Handle held = bm.jdbi().open()) { // one session, so that its staging table can be given a check
            ResultWriter writer = new ResultWriter(Jdbi.create(held.getConnection()));
            List<BenchmarkResult> first = new ArrayList<>();
            List<BenchmarkResult> refused = new ArrayList<>();
            for (int i = 0; i <= ResultWriter.JSON_CHUNK; i++) { // one past the JSON chunk: COPYed
                first.add(result("copied", "d", i, 0.8, 100));
                refused.add(result("refused", "d", i, 0.8, 100));
            }
            writer.writeAll(first); // opens the session's staging table
            held.execute("ALTER TABLE pg_temp.benchmark_ingest_staging ADD CONSTRAINT refused_at_copy "
                    + "CHECK (model_version <> 'refused')");
            assertThatThrownBy(() -> writer.writeAll(refused))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageStartingWith("could not record " + refused.size() + " result(s) with COPY pg_temp.benchmark_ingest_staging")
                    .hasMessageContaining("refused_at_copy")
                    .hasMessageEndingWith("[SQLSTATE 23514]")
                    .satisfies(e -> assertThat(TransientFailures.isUnreachable(e)).as("unreachable").isFalse());
        }
        assertThat(logRows()).isEqualTo(ResultWriter.JSON_CHUNK + 1);
    }

    @Test
    void a_big_write_the_database_refuses_names_the_statement_that_ran() {
        refuseSeriesNamedRefused();
        List<BenchmarkResult> big = new ArrayList<>();
        for (int i = 0; i <= ResultWriter.JSON_CHUNK; i++) { // one past the JSON chunk: COPYed, then moved
            big.add(result("refused", "d", i, 0.8, 100));
        }
        assertThatThrownBy(() -> bm.recordAll(big))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("could not record " + big.size() + " result(s) with SELECT ordinal, transaction_id, "
                        + "created FROM ingest_staged_results(): ")
                .hasMessageContaining("series refused is refused by the test")
                .hasMessageEndingWith("[SQLSTATE P0001]");
    }

    @Test
    void a_bulk_import_stops_at_the_first_chunk_the_database_refuses_keeping_the_chunks_before_it_and_its_definitions() {
        int chunk = ResultWriter.CHUNK_SIZE;
        // Its first result of the series "refused" is in the second chunk.
        refuseSeriesNamedRefused();
        List<BenchmarkResult> many = new ArrayList<>();
        for (int i = 0; i < 2 * chunk + 10; i++) {
            many.add(BenchmarkResult.builder(i == chunk + 5 ? "refused" : "bulk", "d").runAt(T0.plusSeconds(60L * i))
                    .metric("f1", 0.5).idempotencyKey("bulk|" + i).build());
        }
        List<Long> progress = new ArrayList<>();
        MetricDefinition zorbs = MetricDefinition.of("zorbs", MetricDirection.LOWER_IS_BETTER);
        assertThatThrownBy(() -> bm.importAll(many.iterator(), Map.of("zorbs", zorbs), progress::add, o -> { }))
                .isInstanceOf(dev.benchmon.DatabaseException.class)
                .hasMessageContaining("series refused is refused by the test");
        assertThat(progress).containsExactly((long) chunk);
        assertThat(logRows()).isEqualTo(chunk);
        // Stored with the first chunk, as the chunks it describes are; running the import again stores the rest.
        assertThat(bm.detection().definitions().get("zorbs")).isEqualTo(zorbs);
    }

    /**
     * One result in each of {@code months} months from 1990 on: past 120 months the log does not hold yet, a
     * write the validator lets through and the database refuses (each month is a partition it would create).
     */
    private static List<BenchmarkResult> overMonths(int months) {
        List<BenchmarkResult> out = new ArrayList<>();
        for (int i = 0; i < months; i++) {
            out.add(BenchmarkResult.builder("span", "d").runAt(java.time.LocalDate.of(1990, 1, 15).plusMonths(i)
                    .atStartOfDay(java.time.ZoneOffset.UTC).toInstant()).metric("f1", 0.5).build());
        }
        return out;
    }

    @Test
    void metric_definitions_sent_with_results_the_database_refuses_are_not_stored() {
        MetricDefinition declared = new MetricDefinition("f1", MetricDirection.HIGHER_IS_BETTER, "ratio", null, null);
        bm.defineMetrics(declared);

        assertThatThrownBy(() -> bm.recordJudged(overMonths(121),
                Map.of("f1", MetricDefinition.of("f1", MetricDirection.LOWER_IS_BETTER)), DetectionOverrides.NONE))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("121 months");
        assertThat(bm.detection().definitions().get("f1")).isEqualTo(declared);
        assertThat(logRows()).isZero();
    }

    @Test
    void a_bulk_import_the_database_refuses_at_its_first_chunk_stores_none_of_its_metric_definitions() {
        assertThatThrownBy(() -> bm.importAll(overMonths(121).iterator(),
                Map.of("zorbs", MetricDefinition.of("zorbs", MetricDirection.LOWER_IS_BETTER)), n -> { }, o -> { }))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("121 months");
        assertThat(bm.detection().definitions()).doesNotContainKey("zorbs");
    }

    @Test
    void metrics_whose_names_differ_only_in_case_across_series_get_their_own_reversible_table_columns() {
        bm.record(BenchmarkResult.builder("a", "d").metric("F1", 0.5).build());
        bm.record(BenchmarkResult.builder("b", "d").metric("f1", 0.7).build());
        Table latest = bm.latestSnapshots();
        assertThat(latest.columnNames()).contains("F1", "metric:2:f1").doesNotContain("f1_2");
        assertThat(latest.doubleColumn("metric:2:f1").get(1)).isEqualTo(0.7);
        assertThat(dev.benchmon.query.MetricColumns.metricName("metric:2:f1")).isEqualTo("f1");
        assertThat(bm.history(Filter.all()).rowCount()).isEqualTo(2);
    }

    @Test
    void run_at_defaults_to_the_time_of_recording() {
        Instant before = Instant.now().minusSeconds(5);
        bm.record(BenchmarkResult.builder("m", "d").metric("f1", 0.9).build());
        assertThat(bm.latestSnapshots().instantColumn("run_at").get(0)).isAfter(before);
    }
}
