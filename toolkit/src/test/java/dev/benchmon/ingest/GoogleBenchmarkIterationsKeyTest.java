package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.RecordOutcome;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Google Benchmark's {@code metadata.iterations} is one repetition's count; earlier versions stored the mean
 * aggregate's, which counts the repetitions. A report they stored, read again, is still found already present, in a
 * real database, where metadata is part of its key (a report without {@code context.date}, keyed by its content).
 */
class GoogleBenchmarkIterationsKeyTest {
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    /** The sample report (BM_Hash/1024: 3 repetitions of 1000 iterations, with mean and stddev), dated or not. */
    private static String report(boolean dated) {
        try (InputStream in = GoogleBenchmarkIterationsKeyTest.class.getResourceAsStream("/adapters/google-benchmark.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return dated ? text : text.replace("\"date\": \"2026-01-31T12:00:00+01:00\",", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BenchmarkResult hash(List<BenchmarkResult> results) {
        return results.stream().filter(r -> r.datasetVersion().equals("BM_Hash/1024")).findFirst().orElseThrow();
    }

    /** The results as earlier versions made them of the same file: the mean's iterations (3), no key. */
    private static List<BenchmarkResult> asEarlierVersionsRead(List<BenchmarkResult> results) {
        return results.stream().map(r -> r.datasetVersion().equals("BM_Hash/1024")
                ? r.toBuilder().idempotencyKey(null).metadata("iterations", 3).build()
                : r.toBuilder().idempotencyKey(null).build()).toList();
    }

    private long stored() {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions").mapTo(Long.class).one());
    }

    @Test
    void iterations_are_one_repetitions_not_the_count_of_repetitions_the_mean_sums_up() {
        BenchmarkResult hash = hash(BenchmarkResult.from("google-benchmark", report(true)));

        assertThat(hash.metadata()).containsEntry("iterations", 1000);
        assertThat(hash.sampleSizes()).containsEntry("real_time", 3L);
    }

    @ParameterizedTest(name = "dated: {0}")
    @ValueSource(booleans = {false, true})
    void a_report_stored_by_earlier_versions_is_already_present_when_recorded_again(boolean dated) {
        // Undated, its results are keyed by their content, metadata included; dated, by their run_at and values
        List<BenchmarkResult> results = BenchmarkResult.from("google-benchmark", report(dated));
        assertThat(hash(results).runAt() != null).isEqualTo(dated);
        bm.recordAll(asEarlierVersionsRead(results));

        assertThat(bm.recordAll(BenchmarkResult.from("google-benchmark", report(dated))))
                .hasSize(results.size()).noneMatch(RecordOutcome::created);
        assertThat(stored()).isEqualTo(results.size());
    }

    @Test
    void a_report_without_a_date_recorded_twice_by_this_version_is_stored_once_with_one_repetitions_iterations() {
        bm.recordAll(BenchmarkResult.from("google-benchmark", report(false)));

        assertThat(bm.recordAll(BenchmarkResult.from("google-benchmark", report(false)))).noneMatch(RecordOutcome::created);
        List<String> iterations = bm.jdbi().withHandle(h -> h.createQuery("SELECT metadata->>'iterations' FROM "
                + "benchmark_transactions WHERE dataset_version = 'BM_Hash/1024'").mapTo(String.class).list());
        assertThat(iterations).containsExactly("1000");
    }
}
