package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The staging table's {@code run_at_sent} (R__ingest_functions.sql), as psql users and older sessions write it: a result
 * marked {@code false} (an export's copy of a CI run's result sent without run_at) has its run keyed without the run_at
 * it holds, so a later attempt of the run, stored at another time, supersedes it.
 */
class StagedRunAtSentTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
    }

    private static String copied(String model, double f1, String runAt) {
        return "[{\"model_version\": \"" + model + "\", \"dataset_version\": \"d\", \"environment\": \"ci\", \"run_id\": "
                + "\"9001\", \"metrics\": {\"f1\": " + f1 + "}, \"run_at\": \"" + runAt + "\", \"run_at_sent\": false}]";
    }

    /** The current results of {@code model}: {@code attempt f1 run_at}, newest first. */
    private static List<String> current(String model) {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT attempt || ' ' || (metrics ->> 'f1') || ' ' || "
                        + "to_char(run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI') FROM benchmark_results_current "
                        + "WHERE model_version = :m ORDER BY run_at DESC")
                .bind("m", model).mapTo(String.class).list());
    }

    @Test
    void a_later_attempt_copied_with_run_at_sent_false_supersedes_the_earlier_and_keeps_its_run_at() {
        bm.jdbi().useHandle(h -> h.execute("SELECT * FROM upsert_benchmark_results(?::jsonb)",
                copied("psql-copy", 0.8, "2026-11-30T10:00:00Z")));
        bm.jdbi().useHandle(h -> h.execute("SELECT * FROM upsert_benchmark_results(?::jsonb)",
                copied("psql-copy", 0.82, "2026-11-30T11:00:00Z")));

        assertThat(current("psql-copy")).containsExactly("2 0.82 2026-11-30T11:00");
    }

    /** A server running across the upgrade opened its staging table before the column existed; its writes still go in. */
    @Test
    void a_staging_table_opened_before_run_at_sent_existed_still_moves_its_rows() {
        bm.jdbi().useTransaction(h -> {
            h.execute("SELECT benchmon_open_staging()");
            h.execute("ALTER TABLE pg_temp.benchmark_ingest_staging DROP COLUMN run_at_sent");
            h.execute("INSERT INTO pg_temp.benchmark_ingest_staging (ord, model_version, dataset_version, metrics, run_id) "
                    + "VALUES (1, 'old-session', 'd', '{\"f1\": 0.5}', '7')");
            assertThat(h.createQuery("SELECT count(*) FROM ingest_staged_results() WHERE created").mapTo(Long.class).one())
                    .isEqualTo(1);
            h.execute("SELECT benchmon_open_staging()"); // the psql path opens it again: the column is there
            assertThat(h.createQuery("SELECT count(*) FROM pg_attribute WHERE attrelid = "
                    + "'pg_temp.benchmark_ingest_staging'::regclass AND attname = 'run_at_sent'").mapTo(Long.class).one())
                    .isEqualTo(1);
        });
        assertThat(current("old-session")).hasSize(1);
    }
}
