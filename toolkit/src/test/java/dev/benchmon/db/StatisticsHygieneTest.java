package dev.benchmon.db;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Planner statistics and update paths that stay healthy as the log grows (schema version 9). */
class StatisticsHygieneTest {

    @Test
    void snapshots_have_no_index_on_a_column_every_write_moves_and_room_for_in_place_updates() {
        try (Benchmon bm = TestDatabases.fresh()) {
            List<String> indexed = bm.jdbi().withHandle(h -> h.createQuery("""
                    SELECT a.attname FROM pg_index i
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                    WHERE i.indrelid = 'benchmark_snapshots'::regclass""").mapTo(String.class).list());
            assertThat(indexed).doesNotContain("run_at", "metrics", "transaction_id", "run_count", "last_seen", "updated_at");
            List<String> options = bm.jdbi().withHandle(h -> h.createQuery(
                    "SELECT unnest(reloptions) FROM pg_class WHERE oid = 'benchmark_snapshots'::regclass").mapTo(String.class).list());
            assertThat(options).contains("fillfactor=50", "autovacuum_analyze_scale_factor=0");
        }
    }

    @Test
    void a_bulk_import_leaves_the_planner_with_the_new_row_counts() {
        try (Benchmon bm = TestDatabases.fresh()) {
            List<BenchmarkResult> results = new ArrayList<>();
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 0; i < PlannerStatistics.BULK; i++) {
                results.add(BenchmarkResult.builder("m" + i % 10, "d").runAt(t0.plusSeconds(i)).metric("f1", 0.5).build());
            }
            bm.importAll(results, n -> { });
            float snapshots = bm.jdbi().withHandle(h -> h.createQuery(
                    "SELECT reltuples FROM pg_class WHERE oid = 'benchmark_snapshots'::regclass").mapTo(Float.class).one());
            float log = bm.jdbi().withHandle(h -> h.createQuery(
                    "SELECT sum(c.reltuples) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                            + "WHERE i.inhparent = 'benchmark_log'::regclass").mapTo(Float.class).one());
            assertThat(snapshots).isEqualTo(10f);
            assertThat(log).isEqualTo(PlannerStatistics.BULK);
        }
    }

    @Test
    void benchmon_connections_never_jit_compile() {
        try (Benchmon bm = TestDatabases.fresh()) {
            String jit = bm.jdbi().withHandle(h -> h.createQuery("SHOW jit").mapTo(String.class).one());
            assertThat(jit).isEqualTo("off");
        }
    }

    @Test
    void benchmon_connections_sort_in_at_least_16_mb_of_work_mem() {
        try (Benchmon bm = TestDatabases.fresh()) {
            long workMem = bm.jdbi().withHandle(h -> h.createQuery("SELECT pg_size_bytes(current_setting('work_mem'))")
                    .mapTo(Long.class).one());
            assertThat(workMem).isGreaterThanOrEqualTo(16L * 1024 * 1024);
        }
    }

    @Test
    void a_server_that_gives_sessions_more_work_mem_keeps_its_setting() {
        String url = TestDatabases.freshMigratedDatabaseUrl();
        String withMore = url + (url.contains("?") ? "&" : "?") + "options=-c%20work_mem%3D64MB";
        try (Benchmon bm = Benchmon.connect(withMore, TestDatabases.user(), TestDatabases.password())) {
            String workMem = bm.jdbi().withHandle(h -> h.createQuery("SHOW work_mem").mapTo(String.class).one());
            assertThat(workMem).isEqualTo("64MB");
        }
    }

    @Test
    void daily_rollups_are_found_by_metric_and_day_without_a_series() {
        try (Benchmon bm = TestDatabases.fresh()) {
            List<String> keys = bm.jdbi().withHandle(h -> h.createQuery("""
                    SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
                    WHERE i.indrelid = 'benchmark_rollups_daily'::regclass AND NOT i.indisprimary""").mapTo(String.class).list());
            assertThat(keys).anySatisfy(def -> assertThat(def).endsWith("(metric_id, day)"));
        }
    }
}
