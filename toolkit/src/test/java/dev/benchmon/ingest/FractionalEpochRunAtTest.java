package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.RecordOutcome;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * lm-evaluation-harness {@code date} and W&amp;B {@code _timestamp} (epoch seconds with a fraction) stored as the file
 * wrote them, and a file imported by earlier versions (which read such a number a microsecond early, double arithmetic
 * cut after its error) imported again without storing anything twice, in a real database.
 */
class FractionalEpochRunAtTest {
    /** A date earlier versions read as {@code .122999}. */
    private static final double DATE = 1716392345.123;
    private static final Instant AS_WRITTEN = Instant.parse("2024-05-22T15:39:05.123Z");
    private static final String WANDB = "{\"acc\": 0.5, \"_step\": 3, \"_timestamp\": 1716392345.123}";
    private static final ResultOverrides WANDB_SERIES = new ResultOverrides("wandb-model", "wandb-set", null);

    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    @Test
    void an_lm_eval_date_with_a_fraction_is_stored_to_the_microsecond_the_file_wrote() {
        bm.recordAll(lmEval());

        assertThat(storedRunAts()).hasSize(3).containsOnly(AS_WRITTEN);
    }

    @Test
    void an_lm_eval_file_imported_by_earlier_versions_imported_again_stores_nothing_twice() {
        bm.recordAll(asEarlierVersionsRead(lmEval()));

        List<RecordOutcome> again = bm.recordAll(lmEval());

        assertThat(again).hasSize(3).noneMatch(RecordOutcome::created);
        assertThat(storedRunAts()).hasSize(3).containsOnly(readByEarlierVersions(DATE)); // not rewritten
    }

    @Test
    void an_lm_eval_file_imported_twice_is_stored_once_as_the_file_wrote_it() {
        bm.recordAll(lmEval());

        assertThat(bm.recordAll(lmEval())).hasSize(3).noneMatch(RecordOutcome::created);
        assertThat(storedRunAts()).hasSize(3).containsOnly(AS_WRITTEN);
    }

    @Test
    void a_wandb_summary_is_stored_to_the_microsecond_its_timestamp_wrote() {
        bm.recordAll(wandb());

        assertThat(storedRunAts()).containsExactly(AS_WRITTEN);
    }

    @Test
    void a_wandb_summary_imported_by_earlier_versions_imported_again_stores_nothing_twice() {
        bm.recordAll(asEarlierVersionsRead(wandb()));

        assertThat(bm.recordAll(wandb())).singleElement().satisfies(o -> assertThat(o.created()).isFalse());
        assertThat(storedRunAts()).containsExactly(readByEarlierVersions(DATE));
    }

    @Test
    void an_lm_eval_date_in_epoch_milliseconds_is_stored_as_that_millisecond_and_imported_again_stores_nothing_twice() {
        String file = resource("/adapters/lm-eval-results.json").replace("\"date\": 1700000000.25",
                "\"date\": 1733100000123");
        bm.recordAll(BenchmarkResult.from("lm-eval", file));

        assertThat(bm.recordAll(BenchmarkResult.from("lm-eval", file))).hasSize(3).noneMatch(RecordOutcome::created);
        assertThat(storedRunAts()).hasSize(3).containsOnly(Instant.parse("2024-12-02T00:40:00.123Z"));
    }

    @Test
    void a_wandb_summary_whose_text_timestamp_earlier_versions_ignored_imported_again_stores_nothing_twice() {
        String summary = "{\"acc\": 0.5, \"_timestamp\": \"2024-12-02T00:40:00Z\"}";
        // Earlier versions read no run_at from text: the result was stored at the time of arrival, keyed by its content.
        bm.recordAll(BenchmarkResult.from("wandb", summary, WANDB_SERIES).results().stream()
                .map(r -> r.toBuilder().runAt(null).idempotencyKey(null).build()).toList());

        assertThat(bm.recordAll(BenchmarkResult.from("wandb", summary, WANDB_SERIES).results()))
                .singleElement().satisfies(o -> assertThat(o.created()).isFalse());
        assertThat(storedRunAts()).hasSize(1);
    }

    @Test
    void a_result_stored_with_the_date_as_written_exported_and_imported_again_is_the_same_result() {
        bm.recordAll(wandb());
        // An export holds the stored key (a UUID) and run_at as stored; triggered_by added since (as a re-run by
        // someone else would): a derived key is not compared, so it is answered as the stored result, not refused.
        String stored = bm.jdbi().withHandle(h -> h.createQuery("SELECT idempotency_key::text FROM benchmark_transactions")
                .mapTo(String.class).one());
        BenchmarkResult exported = wandb().get(0).toBuilder().idempotencyKey(stored).triggeredBy("someone-else").build();

        assertThat(bm.record(exported).created()).isFalse();
        assertThat(storedRunAts()).containsExactly(AS_WRITTEN);
    }

    private static List<BenchmarkResult> lmEval() {
        String file = resource("/adapters/lm-eval-results.json").replace("\"date\": 1700000000.25",
                "\"date\": " + DATE);
        return BenchmarkResult.from("lm-eval", file);
    }

    private static List<BenchmarkResult> wandb() {
        return BenchmarkResult.from("wandb", WANDB, WANDB_SERIES).results();
    }

    /** The results as earlier versions made them of the same file: run_at read by double arithmetic, no key. */
    private static List<BenchmarkResult> asEarlierVersionsRead(List<BenchmarkResult> results) {
        Instant before = readByEarlierVersions(DATE);
        assertThat(before).isEqualTo(Instant.parse("2024-05-22T15:39:05.122999Z"));
        return results.stream().map(r -> r.toBuilder().runAt(before).idempotencyKey(null).build()).toList();
    }

    /** Earlier versions' reading of epoch seconds: nanoseconds rounded after the double's error, cut to microseconds. */
    private static Instant readByEarlierVersions(double s) {
        long whole = (long) Math.floor(s);
        return Instant.ofEpochSecond(whole, Math.round((s - whole) * 1e9) / 1000 * 1000);
    }

    private List<Instant> storedRunAts() {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT run_at FROM benchmark_transactions ORDER BY id")
                .mapTo(OffsetDateTime.class).list()).stream().map(OffsetDateTime::toInstant).toList();
    }

    private static String resource(String name) {
        try (InputStream in = FractionalEpochRunAtTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
