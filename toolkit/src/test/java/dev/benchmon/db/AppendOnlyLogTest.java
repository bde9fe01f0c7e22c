package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.Results;
import dev.benchmon.support.TestDatabases;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppendOnlyLogTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
        bm.record(Results.result("m", "d", 1, 0.9, 100));
    }

    @Test
    void the_database_rejects_an_update_of_the_log() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("UPDATE benchmark_log SET notes = 'x'")))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining("append-only: UPDATE is not allowed");
    }

    @Test
    void the_database_rejects_a_delete_from_the_log() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("DELETE FROM benchmark_log")))
                .hasMessageContaining("append-only: DELETE is not allowed");
    }

    @Test
    void the_database_rejects_a_truncate_of_the_log_and_of_each_month() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("TRUNCATE benchmark_log CASCADE")))
                .hasMessageContaining("append-only: TRUNCATE is not allowed");
        String month = bm.jdbi().withHandle(h -> h.createQuery(
                "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'benchmark_log'::regclass LIMIT 1")
                .mapTo(String.class).one());
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("TRUNCATE " + month)))
                .hasMessageContaining("append-only: TRUNCATE is not allowed");
        assertThat(bm.history(dev.benchmon.Filter.model("m")).rowCount()).isEqualTo(1);
    }

    @Test
    void the_database_rejects_changes_to_the_keys_of_the_log() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("DELETE FROM benchmark_result_keys")))
                .hasMessageContaining("append-only: DELETE is not allowed");
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("TRUNCATE benchmark_result_keys")))
                .hasMessageContaining("append-only: TRUNCATE is not allowed");
    }

    @Test
    void the_log_as_queries_read_it_is_a_view_that_takes_no_writes() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("UPDATE benchmark_transactions SET notes = 'x'")))
                .hasMessageContaining("benchmark_transactions");
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("DELETE FROM benchmark_transactions")))
                .hasMessageContaining("benchmark_transactions");
        assertThat(bm.history(dev.benchmon.Filter.model("m")).rowCount()).isEqualTo(1);
    }

    @Test
    void the_database_rejects_a_metric_that_is_not_a_number_even_from_raw_sql() {
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute(
                "SELECT * FROM upsert_benchmark_result(p_model_version => 'm', p_dataset_version => 'd', "
                        + "p_metrics => '{\"f1\": \"high\"}')")))
                .hasMessageContaining("metrics_are_numbers");
    }

    @Test
    void the_database_accepts_only_numbers_as_metric_values_not_arrays_objects_booleans_or_nulls() {
        // V19's jsonpath runs in strict mode: in lax mode an array of numbers would pass as its elements.
        for (String value : new String[] {"[0.9]", "[]", "{\"mean\": 0.9}", "true"}) {
            assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute(
                    "SELECT * FROM upsert_benchmark_result(p_model_version => 'numbers', p_dataset_version => 'd', "
                            + "p_metrics => '{\"f1\": 0.5, \"x\": " + value + "}')")))
                    .as(value).hasMessageContaining("metrics_are_numbers");
        }
        bm.jdbi().useHandle(h -> h.execute("SELECT * FROM upsert_benchmark_result(p_model_version => 'numbers', "
                + "p_dataset_version => 'd', p_metrics => '{\"f1\": 0.5, \"x\": -1.5e-300, \"n\": 12}')"));
        assertThat(bm.history(dev.benchmon.Filter.model("numbers")).rowCount()).isEqualTo(1);
        // A null never reaches the log through the writers (they drop it); the check refuses it all the same.
        boolean nullIsANumber = bm.jdbi().withHandle(h -> h.createQuery("SELECT benchmark_metrics_are_numbers('{\"x\": null}')")
                .mapTo(Boolean.class).one());
        assertThat(nullIsANumber).isFalse();
    }

    @Test
    void the_database_refuses_a_value_beyond_1e100_from_raw_sql_naming_the_result_and_metric() {
        // Beyond it the daily rollups' sum of squares overflows and every later write of the series fails.
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute(
                "SELECT * FROM upsert_benchmark_results('[{\"model_version\": \"huge\", \"dataset_version\": \"d\", "
                        + "\"metrics\": {\"f1\": 0.5}}, {\"model_version\": \"huge\", \"dataset_version\": \"d\", "
                        + "\"metrics\": {\"f1\": 0.5, \"energy\": -1e308}}]')")))
                .hasMessageContaining("result 2: metrics.energy is beyond 1e100 in magnitude");
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute(
                "SELECT * FROM upsert_benchmark_results('[{\"model_version\": \"huge\", \"dataset_version\": \"d\", "
                        + "\"metrics\": {\"f1\": 0.5}, \"stderr\": {\"f1\": 1e101}}]')")))
                .hasMessageContaining("result 1: stderr.f1 is beyond 1e100 in magnitude");
        // psql's bulk path, in one transaction (the staging table keeps its rows until commit): COPY (here an
        // INSERT) into the session's staging table, then the set-based move.
        assertThatThrownBy(() -> bm.jdbi().useTransaction(h -> {
            h.execute("SELECT benchmon_open_staging()");
            h.execute("INSERT INTO pg_temp.benchmark_ingest_staging (ord, model_version, dataset_version, metrics) "
                    + "VALUES (1, 'huge', 'd', '{\"f1\": 0.5, \"loss\": 1e300}')");
            h.createQuery("SELECT count(*) FROM ingest_staged_results()").mapTo(Long.class).one();
        })).hasMessageContaining("result 1: metrics.loss is beyond 1e100 in magnitude");
        long stored = bm.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM benchmark_transactions WHERE model_version = 'huge'").mapTo(Long.class).one());
        assertThat(stored).isZero();
    }
}
