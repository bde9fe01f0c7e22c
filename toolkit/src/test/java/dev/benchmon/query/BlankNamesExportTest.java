package dev.benchmon.query;

import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RecordOutcome;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database written before blank optional names were refused (2026-12-02) holds a result whose commit, branch, run
 * id, trigger and provider are blank: its JSON Lines export leaves them out, so the export still imports, and importing
 * it again adds nothing. The result is stored through the SQL function, which takes what older toolkits sent.
 */
class BlankNamesExportTest {
    @AutoClose
    private static Benchmon bm;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        bm.jdbi().useHandle(h -> h.createQuery("""
                SELECT transaction_id FROM upsert_benchmark_result(p_model_version => 'old-model', p_dataset_version => 'd',
                    p_metrics => '{"f1": 0.5}', p_commit_sha => '', p_branch => '  ', p_run_id => '',
                    p_triggered_by => ' ', p_model_provider => '', p_notes => 'kept')""").mapTo(Long.class).one());
    }

    private static String exported() {
        StringWriter out = new StringWriter();
        assertThat(bm.writeHistoryAsJsonLines(Filter.model("old-model"), out)).isEqualTo(1);
        return out.toString();
    }

    @Test
    void blank_optional_names_are_left_out_of_the_json_lines_export() {
        assertThat(exported()).doesNotContain("commit_sha", "branch", "run_id", "triggered_by", "model_provider")
                .contains("\"notes\": \"kept\"", "\"idempotency_key\"");
    }

    @Test
    void the_export_of_such_a_result_imports_and_adds_nothing_a_second_time() {
        var parsed = ResultJson.read(exported(), true);
        assertThat(parsed.results()).singleElement().satisfies(r -> assertThat(r.commitSha()).isNull());
        assertThat(bm.recordAll(parsed.results())).extracting(RecordOutcome::created).containsExactly(false);
    }
}
