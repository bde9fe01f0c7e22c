package dev.benchmon.server.cli;

import dev.benchmon.server.cli.PushCommandTest.Run;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directions of the built-in dictionary as a user meets them: {@code benchmon push --fail-on-regression} judging an
 * undeclared metric against a real server, and {@code benchmon metrics list} saying where each direction comes from.
 */
class DictionaryDirectionsOverServerTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    /** Five hourly runs of {@code model} with {@code metrics} (a JSON object's body) each, pushed without judging. */
    private void baseline(String model, String metrics) throws IOException {
        Instant t = Instant.now().minus(5, ChronoUnit.DAYS);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append("{\"model_version\":\"").append(model).append("\",\"dataset_version\":\"d\",\"run_at\":\"")
                    .append(t.plus(i, ChronoUnit.HOURS)).append("\",\"metrics\":{").append(metrics).append("}}\n");
        }
        Path f = dir.resolve(model + "-base.jsonl");
        Files.writeString(f, sb.toString());
        Run r = run("push", f.toString(), "--server", server.url());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    }

    private Run pushJudged(String model, String metrics) throws IOException {
        Path f = dir.resolve(model + "-next.json");
        Files.writeString(f, "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"metrics\":{" + metrics + "}}");
        return run("push", f.toString(), "--server", server.url(), "--fail-on-regression");
    }

    @Test
    void a_higher_brier_score_is_a_regression_that_fails_the_push() throws IOException {
        baseline("dict-brier-worse", "\"brier_score\":0.10");

        Run r = pushJudged("dict-brier-worse", "\"brier_score\":0.20");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.REGRESSION);
        assertThat(r.out()).contains("regressions:", "dict-brier-worse", "brier_score");
    }

    @Test
    void a_lower_brier_score_is_an_improvement_that_passes() throws IOException {
        baseline("dict-brier-better", "\"brier_score\":0.10");

        Run r = pushJudged("dict-brier-better", "\"brier_score\":0.05");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    }

    @Test
    void a_higher_accuracy_drop_is_a_regression_that_fails_the_push() throws IOException {
        baseline("dict-accuracy-drop", "\"accuracy_drop\":0.01");

        Run r = pushJudged("dict-accuracy-drop", "\"accuracy_drop\":0.08");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.REGRESSION);
    }

    @Test
    void metrics_list_names_the_dictionarys_kind_of_each_metric() throws IOException {
        baseline("dict-listed", "\"brier_score\":0.1,\"train/learning_rate\":0.0003,\"error_count\":2,\"ndcg@10\":0.4");

        Run list = run("metrics", "list", "--db", server.databaseUrl());

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out())
                .containsPattern("brier_score\\s+lower_is_better\\s+[0-9.]+% \\(default\\)\\s+built-in dictionary \\(loss\\)")
                .containsPattern("train/learning_rate\\s+none\\s+built-in dictionary \\(setting\\)")
                .containsPattern("error_count\\s+lower_is_better\\s+[0-9.]+% \\(default\\)\\s+built-in dictionary \\(error_rate\\)")
                .containsPattern("ndcg@10\\s+higher_is_better\\s+[0-9.]+% \\(default\\)\\s+built-in dictionary \\(score\\)");
    }
}
