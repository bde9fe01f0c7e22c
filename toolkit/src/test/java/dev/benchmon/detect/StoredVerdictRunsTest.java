package dev.benchmon.detect;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each stored verdict names the run it judged: its id, run_at, commit, branch and run id, whether that run is its
 * series' latest (read from the snapshot) or not (read from the log: a verdict a psql caller of store_detections
 * stored for an older run, with or without its run_at). Series "steady": five nightly runs, commits c1 to c5. Series
 * "late": runs on the 21st, 22nd, 24th and 25th, then a late result of the 23rd (commit "late-sha"). Series "older"
 * and "no-run-at": runs on the 21st and 22nd, their verdicts then pointed at the run of the 21st.
 */
class StoredVerdictRunsTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        for (int i = 1; i <= 5; i++) {
            bm.recordJudged(List.of(run("steady", "2026-11-2" + i + "T00:00:00Z", "c" + i, 0.9)), java.util.Map.of(),
                    DetectionOverrides.NONE);
        }
        for (String day : List.of("21", "22", "24", "25")) {
            bm.recordJudged(List.of(run("late", "2026-11-" + day + "T00:00:00Z", "sha-" + day, 0.9)), java.util.Map.of(),
                    DetectionOverrides.NONE);
        }
        bm.recordJudged(List.of(run("late", "2026-11-23T02:00:00Z", "late-sha", 0.5)), java.util.Map.of(),
                DetectionOverrides.NONE);
        for (String model : List.of("older", "no-run-at")) {
            for (String day : List.of("21", "22")) {
                bm.recordJudged(List.of(run(model, "2026-11-" + day + "T00:00:00Z", model + "-" + day, 0.9)),
                        java.util.Map.of(), DetectionOverrides.NONE);
            }
            bm.jdbi().useHandle(h -> h.createUpdate("""
                    UPDATE detection_verdicts v SET transaction_id = t.id,
                           run_at = CASE WHEN :model = 'older' THEN t.run_at END
                    FROM benchmark_transactions t
                    WHERE t.commit_sha = :model || '-21' AND v.series_id = t.series_id""")
                    .bind("model", model).execute());
        }
    }

    private static BenchmarkResult run(String model, String at, String commit, double f1) {
        return BenchmarkResult.builder(model, "d").environment("ci").runAt(Instant.parse(at)).commitSha(commit)
                .branch("main").runId("run-" + commit).metric("f1", f1).build();
    }

    private static Verdict verdict(String model) {
        return bm.regressions(Filter.model(model), RegressionOptions.defaults()).stream()
                .filter(v -> v.metric().equals("f1")).findFirst().orElseThrow();
    }

    @Test
    void a_verdict_of_the_latest_run_names_that_run() {
        Verdict v = verdict("steady");
        assertThat(List.of(v.commitSha(), v.branch(), v.runId())).containsExactly("c5", "main", "run-c5");
        assertThat(v.runAt()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    }

    @Test
    void a_late_result_leaves_the_verdict_of_the_latest_run() {
        Verdict v = verdict("late");
        assertThat(List.of(v.commitSha(), v.runId())).containsExactly("sha-25", "run-sha-25");
        assertThat(v.runAt()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    }

    @Test
    void a_verdict_of_an_older_run_names_that_run() {
        Verdict v = verdict("older");
        assertThat(List.of(v.commitSha(), v.branch(), v.runId())).containsExactly("older-21", "main", "run-older-21");
        assertThat(v.runAt()).isEqualTo(Instant.parse("2026-11-21T00:00:00Z"));
    }

    @Test
    void a_verdict_stored_without_its_run_at_names_its_run() {
        Verdict v = verdict("no-run-at");
        assertThat(List.of(v.commitSha(), v.runId())).containsExactly("no-run-at-21", "run-no-run-at-21");
        assertThat(v.runAt()).isEqualTo(Instant.parse("2026-11-21T00:00:00Z"));
    }

    @Test
    void the_window_applies_to_the_judged_run() {
        List<String> models = new ArrayList<>();
        bm.regressions(Filter.all().withSince(Instant.parse("2026-11-21T12:00:00Z")), RegressionOptions.defaults())
                .forEach(v -> models.add(v.modelVersion()));
        assertThat(models).containsExactlyInAnyOrder("steady", "late"); // the others' judged runs are before it
    }
}
