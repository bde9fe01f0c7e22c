package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.Results;
import dev.benchmon.support.TestDatabases;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppendOnlyLogTest {
    private static Benchmon bm;

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
        bm.record(Results.result("m", "d", 1, 0.9, 100));
    }

    @AfterAll
    static void close() {
        bm.close();
    }

    @Test
    void the_database_rejects_an_update_of_the_log() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("UPDATE benchmark_transactions SET notes = 'x'")))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining("append-only: UPDATE is not allowed");
    }

    @Test
    void the_database_rejects_a_delete_from_the_log() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("DELETE FROM benchmark_transactions")))
                .hasMessageContaining("append-only: DELETE is not allowed");
    }

    @Test
    void the_database_rejects_a_truncate_of_the_log() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("TRUNCATE benchmark_transactions CASCADE")))
                .hasMessageContaining("append-only: TRUNCATE is not allowed");
        assertThat(bm.history(dev.benchmon.Filter.all()).rowCount()).isEqualTo(1);
    }

    @Test
    void the_database_rejects_a_metric_that_is_not_a_number_even_from_raw_sql() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute(
                "SELECT * FROM upsert_benchmark_result(p_model_version => 'm', p_dataset_version => 'd', "
                        + "p_metrics => '{\"f1\": \"high\"}')")))
                .hasMessageContaining("metrics_are_numbers");
    }
}
