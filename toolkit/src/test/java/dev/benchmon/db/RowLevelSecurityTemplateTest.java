package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hosted-PostgreSQL template: a reader that only reads, a writer that only appends. */
class RowLevelSecurityTemplateTest {
    private static Benchmon bm;

    @BeforeAll
    static void applyTemplate() throws IOException, java.sql.SQLException {
        bm = TestDatabases.fresh();
        bm.record(result("m", "d", 1, 0.9, 100));
        String template = Files.readString(Path.of("..", "sql", "hosted", "row_level_security_template.sql"));
        // As psql -f would: the whole file in one go (the simple query protocol runs several statements).
        try (var c = bm.database().dataSource().getConnection(); var st = c.createStatement()) {
            st.execute(template);
        }
    }

    @AfterAll
    static void close() {
        bm.close();
    }

    private static <T> T as(String role, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        return bm.jdbi().inTransaction(h -> {
            h.execute("SET LOCAL ROLE " + role);
            return work.withHandle(h);
        });
    }

    @Test
    void the_reader_role_reads_snapshots() {
        long n = as("benchmon_reader", h -> h.createQuery("SELECT count(*) FROM v_latest_benchmarks").mapTo(Long.class).one());
        assertThat(n).isEqualTo(1);
    }

    @Test
    void the_reader_role_cannot_record() {
        assertThatThrownBy(() -> as("benchmon_reader", h -> h.createQuery(
                "SELECT transaction_id FROM upsert_benchmark_result(p_model_version => 'x', p_dataset_version => 'd', "
                        + "p_metrics => '{\"f1\": 1}')").mapTo(Long.class).one()))
                .hasMessageContaining("permission denied");
    }

    @Test
    void the_writer_role_cannot_write_the_tables_directly() {
        assertThatThrownBy(() -> as("benchmon_writer", h -> h.execute("UPDATE benchmark_snapshots SET run_count = 0")))
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> as("benchmon_writer", h -> h.execute(
                "INSERT INTO benchmark_log (series_id, run_at, idempotency_key, metrics) "
                        + "SELECT id, now(), gen_random_uuid(), '{\"f1\": 1}' FROM series LIMIT 1")))
                .hasMessageContaining("permission denied");
    }

    @Test
    void the_writer_role_records_through_the_function_but_cannot_delete() {
        long id = as("benchmon_writer", h -> h.createQuery(
                "SELECT transaction_id FROM upsert_benchmark_result(p_model_version => 'w', p_dataset_version => 'd', "
                        + "p_metrics => '{\"f1\": 1}')").mapTo(Long.class).one());
        assertThat(id).isPositive();
        assertThatThrownBy(() -> as("benchmon_writer", h -> h.execute("DELETE FROM benchmark_log")))
                .hasMessageContaining("permission denied");
    }
}
