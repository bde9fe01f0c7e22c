package dev.benchmon.db;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RecordOutcome;
import dev.benchmon.support.TestDatabases;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The log's months (schema v2): created as results arrive, without stopping readers, refused when detached or absurd. */
class LogPartitionsTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
        bm.record(BenchmarkResult.builder("m", "d").runAt(Instant.parse("2024-03-10T12:00:00Z")).metric("f1", 0.8).build());
    }

    private static List<String> months() {
        return bm.jdbi().withHandle(h -> h.createQuery("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'benchmark_log'::regclass ORDER BY 1""").mapTo(String.class).list());
    }

    @Test
    void a_result_in_a_month_the_log_does_not_hold_yet_creates_that_month() {
        bm.record(BenchmarkResult.builder("m", "d").runAt(Instant.parse("2023-07-04T00:00:00Z")).metric("f1", 0.7).build());
        assertThat(months()).contains("benchmark_log_y2023m07", "benchmark_log_y2024m03");
        assertThat(bm.history(Filter.model("m")).rowCount()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void a_new_month_is_attached_while_another_session_reads_the_log() {
        // ATTACH PARTITION needs only SHARE UPDATE EXCLUSIVE on the log; a reader's ACCESS SHARE does not block it.
        try (Handle reader = bm.jdbi().open()) {
            reader.begin();
            reader.createQuery("SELECT count(*) FROM benchmark_log").mapTo(Long.class).one();
            bm.jdbi().useHandle(h -> {
                h.execute("SET lock_timeout = '5s'");
                h.createQuery("SELECT count(*) FROM upsert_benchmark_results(CAST(:r AS jsonb))")
                        .bind("r", "[{\"model_version\":\"m\",\"dataset_version\":\"d\",\"run_at\":\"2022-02-02T00:00:00Z\","
                                + "\"metrics\":{\"f1\":0.6}}]").mapTo(Long.class).one();
            });
            reader.rollback();
        }
        assertThat(months()).contains("benchmark_log_y2022m02");
    }

    @Test
    void a_run_at_outside_what_the_validator_allows_is_refused_by_the_sql_writer_too() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.createQuery("SELECT count(*) FROM upsert_benchmark_results(CAST(:r AS jsonb))")
                .bind("r", "[{\"model_version\":\"m\",\"dataset_version\":\"d\",\"run_at\":\"2300-01-01T00:00:00Z\","
                        + "\"metrics\":{\"f1\":0.6}}]").mapTo(Long.class).one()))
                .hasMessageContaining("run_at: must be between 1970-01-01 and one day from now");
        assertThat(months()).noneMatch(m -> m.startsWith("benchmark_log_y2300"));
    }

    @Test
    void no_more_than_120_months_are_created_by_one_write() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("""
                SELECT benchmon_ensure_log_partitions(ARRAY(
                    SELECT TIMESTAMPTZ '1980-01-15 00:00+00' + g * interval '1 month' FROM generate_series(0, 120) g))""")))
                .hasMessageContaining("span 121 months the log does not hold yet");
        assertThat(months()).noneMatch(m -> m.startsWith("benchmark_log_y1980"));
    }

    @Test
    void a_detached_month_refuses_new_results_and_its_series_still_shows_its_latest_result() {
        bm.record(BenchmarkResult.builder("detached-model", "d").runAt(Instant.parse("2021-05-05T00:00:00Z")).metric("f1", 0.5).build());
        bm.jdbi().useHandle(h -> h.execute("ALTER TABLE benchmark_log DETACH PARTITION benchmark_log_y2021m05"));
        try {
            assertThat(bm.latestSnapshots(Filter.model("detached-model")).rowCount()).isEqualTo(1);
            assertThatThrownBy(() -> bm.record(BenchmarkResult.builder("detached-model", "d")
                    .runAt(Instant.parse("2021-05-20T00:00:00Z")).metric("f1", 0.6).build()))
                    .hasMessageContaining("the month 2021-05-01 was detached from the log");
        } finally {
            bm.jdbi().useHandle(h -> h.execute("ALTER TABLE benchmark_log ATTACH PARTITION benchmark_log_y2021m05 "
                    + "FOR VALUES FROM ('2021-05-01 00:00+00') TO ('2021-06-01 00:00+00')"));
        }
    }

    @Test
    void a_result_re_sent_after_its_month_was_detached_is_recognised_as_present() {
        BenchmarkResult sent = BenchmarkResult.builder("resent-model", "d").runAt(Instant.parse("2020-03-03T00:00:00Z"))
                .idempotencyKey("resent-1").metric("f1", 0.5).build();
        long id = bm.record(sent).transactionId();
        // As docs/ARCHITECTURE.md says to (CONCURRENTLY runs outside a transaction, as this handle's statements do).
        bm.jdbi().useHandle(h -> h.execute("ALTER TABLE benchmark_log DETACH PARTITION benchmark_log_y2020m03 CONCURRENTLY"));
        try {
            RecordOutcome again = bm.record(sent);
            assertThat(again.created()).isFalse();
            assertThat(again.transactionId()).isEqualTo(id);
        } finally {
            bm.jdbi().useHandle(h -> h.execute("ALTER TABLE benchmark_log ATTACH PARTITION benchmark_log_y2020m03 "
                    + "FOR VALUES FROM ('2020-03-01 00:00+00') TO ('2020-04-01 00:00+00')"));
        }
    }

    @Test
    void a_month_detached_and_dropped_stays_refused_until_the_owner_reopens_it() {
        bm.record(BenchmarkResult.builder("dropped-model", "d").runAt(Instant.parse("2019-01-05T00:00:00Z")).metric("f1", 0.5).build());
        bm.jdbi().useHandle(h -> {
            h.execute("ALTER TABLE benchmark_log DETACH PARTITION benchmark_log_y2019m01 CONCURRENTLY");
            h.execute("DROP TABLE benchmark_log_y2019m01"); // archived, then dropped
        });
        assertThatThrownBy(() -> bm.record(BenchmarkResult.builder("dropped-model", "d")
                .runAt(Instant.parse("2019-01-20T00:00:00Z")).metric("f1", 0.6).build()))
                .hasMessageContaining("the month 2019-01-01 was detached from the log and its table benchmark_log_y2019m01 dropped");
        assertThat(months()).doesNotContain("benchmark_log_y2019m01");

        // The documented way to open it again, empty, on purpose.
        bm.jdbi().useHandle(h -> h.execute("DELETE FROM benchmark_log_months WHERE month = '2019-01-01'"));
        assertThat(bm.record(BenchmarkResult.builder("dropped-model", "d")
                .runAt(Instant.parse("2019-01-20T00:00:00Z")).metric("f1", 0.6).build()).created()).isTrue();
        assertThat(months()).contains("benchmark_log_y2019m01");
    }
}
