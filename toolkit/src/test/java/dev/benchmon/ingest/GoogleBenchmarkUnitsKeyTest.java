package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.RecordOutcome;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Google Benchmark report in milliseconds, whose times earlier versions stored as reported and this one stores in
 * nanoseconds, in a real database: imported again it is never a second result.
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
    void a_report_in_milliseconds_stored_by_earlier_versions_imported_again_is_refused_not_stored_twice() {
        List<BenchmarkResult> results = BenchmarkResult.from("google-benchmark", inMilliseconds());
        bm.recordAll(asEarlierVersionsRead(results));

        assertThatThrownBy(() -> bm.recordAll(BenchmarkResult.from("google-benchmark", inMilliseconds())))
                .hasMessageContaining("already stored under this idempotency_key");
        assertThat(stored()).isEqualTo(results.size());
    }
}
