package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.RecordOutcome;
import dev.benchmon.ingest.adapters.Adapters;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Google Benchmark report in milliseconds, whose times earlier versions stored as reported and this one stores in
 * nanoseconds, in a real database: imported again it is never a second result, and never refused.
 */
class GoogleBenchmarkUnitsKeyTest {
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    private static String inMilliseconds() {
        try (InputStream in = GoogleBenchmarkUnitsKeyTest.class.getResourceAsStream("/adapters/google-benchmark.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"time_unit\": \"ns\"", "\"time_unit\": \"ms\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The results as earlier versions made them of the same file: times as reported, no key. */
    private static List<BenchmarkResult> asEarlierVersionsRead(List<BenchmarkResult> results) {
        return results.stream().map(r -> r.toBuilder().idempotencyKey(null)
                .metric("real_time", r.metrics().get("real_time") / 1e6)
                .metric("cpu_time", r.metrics().get("cpu_time") / 1e6).build()).toList();
    }

    /** The report as {@code benchmon push} reads it in CI run 4711 ({@code GITHUB_RUN_ID}), pushed by {@code actor}. */
    private static List<BenchmarkResult> inCiRun(String actor) {
        return Adapters.parse("google-benchmark", inMilliseconds(), ResultOverrides.NONE.withContext(
                Map.of("run_id", "4711", "triggered_by", actor))).results();
    }

    private long stored() {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions").mapTo(Long.class).one());
    }

    @Test
    void a_report_in_milliseconds_imported_twice_is_stored_once() {
        List<BenchmarkResult> results = BenchmarkResult.from("google-benchmark", inMilliseconds());
        bm.recordAll(results);

        assertThat(bm.recordAll(BenchmarkResult.from("google-benchmark", inMilliseconds())))
                .hasSize(results.size()).noneMatch(RecordOutcome::created);
        assertThat(stored()).isEqualTo(results.size());
    }

    @Test
    void a_report_in_milliseconds_stored_by_earlier_versions_imported_again_is_already_present_not_stored_twice() {
        List<BenchmarkResult> results = BenchmarkResult.from("google-benchmark", inMilliseconds());
        bm.recordAll(asEarlierVersionsRead(results));

        // The same measurements as stored, in the unit reported: nothing of the file is missing from the database
        assertThat(bm.recordAll(BenchmarkResult.from("google-benchmark", inMilliseconds())))
                .hasSize(results.size()).noneMatch(RecordOutcome::created);
        assertThat(stored()).isEqualTo(results.size());
        double hashRealTime = bm.jdbi().withHandle(h -> h.createQuery("SELECT (metrics->>'real_time')::float8 FROM "
                + "benchmark_transactions WHERE dataset_version = 'BM_Hash/1024'").mapTo(Double.class).one());
        assertThat(hashRealTime).isEqualTo(720.0);
    }

    @Test
    void a_report_in_milliseconds_recorded_again_with_another_triggered_by_is_already_present() {
        // A CI re-run: its run id and values are the run's, whoever re-ran it; the key is one benchmon derived, so the
        // re-sent context is not compared with the stored result's (as for a report in ns)
        List<BenchmarkResult> results = inCiRun("alice");
        bm.recordAll(results);

        List<BenchmarkResult> rerun = inCiRun("bob");

        assertThat(bm.recordAll(rerun)).hasSize(results.size()).noneMatch(RecordOutcome::created);
        assertThat(stored()).isEqualTo(results.size());
    }
}
