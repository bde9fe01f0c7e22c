package dev.benchmon.server.cli;

import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An accuracy sent as a percentage (87.5 for 0.875) is stored as sent, but judged as a plain number and charted beside
 * fractions: {@code import} and {@code push --db} say so once per metric, naming the first result and the fix. A metric
 * defined with a unit that is no share ({@code %}) is not warned of, nor is a latency. Each test on a fresh database.
 */
class ProportionRangeWarningTest {
    private String db;

    @TempDir
    Path dir;

    @BeforeEach
    void freshDatabase() {
        db = TestServer.freshDatabaseUrlWithCredentials();
    }

    private Path results(String name, double... accuracies) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < accuracies.length; i++) {
            lines.append("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"run_id\":\"").append(name).append(i)
                    .append("\",\"metrics\":{\"accuracy\":").append(accuracies[i]).append(",\"latency_ms\":120}}\n");
        }
        return Files.writeString(dir.resolve(name + ".jsonl"), lines);
    }

    @Test
    void an_import_of_percentages_warns_once_naming_the_first_result_the_count_and_the_fix() throws IOException {
        PushCommandTest.Run r = run("import", results("pct", 0.86, 87.5, 88.1, 86.9).toString(), "--db", db);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 4 result(s): 4 stored");
        assertThat(r.err()).containsOnlyOnce("outside [0, 1]")
                .contains("warning: results[1].metrics.accuracy: 87.5 is outside [0, 1], though accuracy is a "
                        + "proportion (its definition's unit is 'ratio'): stored as sent, but judged as a plain number and "
                        + "charted beside its fractions; 3 result(s) in all hold such a value of it. Send a share as a "
                        + "fraction (0.875 for 87.5%), or, if accuracy is a percentage, define it so: benchmon metrics "
                        + "define accuracy --direction higher_is_better --unit % [result 2, m / d @local]")
                .doesNotContain("latency_ms");
    }

    @Test
    void an_import_that_skips_results_names_the_warned_result_by_its_place_in_the_file() throws IOException {
        Path file = Files.writeString(dir.resolve("skip.jsonl"), """
                {"model_version":"m","dataset_version":"d","run_id":"s0","metrics":{"latency_ms":120}}
                {"model_version":"m","dataset_version":"d","run_id":"s1","metrics":{"latency_ms":121}}
                {"model_version":"m","dataset_version":"d","run_id":"s2","metrics":{"accuracy":87.5,"latency_ms":122}}
                """);

        PushCommandTest.Run r = run("import", file.toString(), "--metrics", "accuracy", "--db", db);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 1 result(s): 1 stored");
        assertThat(r.err()).contains("warning: results[2].metrics.accuracy: 87.5 is outside [0, 1]")
                .contains("[result 3, m / d @local]");
    }

    @Test
    void an_import_of_several_files_names_the_warned_result_in_its_file_too() throws IOException {
        Path a = results("a", 0.86, 0.87, 0.88);
        Path b = results("b", 0.89, 87.5);

        PushCommandTest.Run r = run("import", a.toString(), b.toString(), "--db", db);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: results[4].metrics.accuracy: 87.5 is outside [0, 1]")
                .containsPattern("\\[result 5, m / d @local\\] \\(result 2 of [^)]*b\\.jsonl\\)");
    }

    @Test
    void a_push_to_the_database_warns_of_a_ratio_its_definition_states() throws IOException {
        assertThat(run("metrics", "define", "win_share", "--direction", "higher_is_better", "--unit", "ratio", "--db", db)
                .exitCode()).isZero();
        Path f = Files.writeString(dir.resolve("share.json"), "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                + "\"run_id\":\"s1\",\"metrics\":{\"win_share\":-0.3}}");

        PushCommandTest.Run r = run("push", f.toString(), "--db", db);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: results[0].metrics.win_share: -0.3 is outside [0, 1], though win_share is a "
                + "proportion (its definition's unit is 'ratio')", "A share lies in [0, 1]: check how it is computed, or, if win_share is no share, define its unit: "
                + "benchmon metrics define win_share --direction higher_is_better --unit UNIT");
    }

    @Test
    void the_command_the_warning_names_is_accepted_and_ends_the_warning() throws IOException {
        PushCommandTest.Run first = run("import", results("cmd", 87.5).toString(), "--db", db);
        String command = first.err().replaceAll("(?s).*define it so: (benchmon metrics define [^\\[]*?) \\[.*", "$1");
        assertThat(command).isEqualTo("benchmon metrics define accuracy --direction higher_is_better --unit %");

        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command.substring("benchmon ".length())
                .split(" ")));
        args.addAll(java.util.List.of("--db", db));
        PushCommandTest.Run defined = run(args.toArray(String[]::new));
        assertThat(defined.exitCode()).as(defined.err()).isZero();

        assertThat(run("import", results("cmd-again", 88.0).toString(), "--db", db).err()).doesNotContain("outside [0, 1]");
    }

    @Test
    void names_of_percentages_and_differences_are_not_taken_for_shares() throws IOException {
        Path f = Files.writeString(dir.resolve("named.json"), "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                + "\"run_id\":\"n1\",\"metrics\":{\"accuracy_pct\":87.5,\"f1_delta\":-0.03,\"accuracy\":1.03}}");

        PushCommandTest.Run r = run("push", f.toString(), "--db", db);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("accuracy_pct", "f1_delta")
                .contains("1.03 is outside [0, 1]", "A share lies in [0, 1]").doesNotContain("for 1.03%");
    }

    @Test
    void a_unit_of_ratio_decides_whatever_the_name_says() throws IOException {
        assertThat(run("metrics", "define", "time_fraction", "--direction", "lower_is_better", "--unit", "ratio", "--db",
                db).exitCode()).isZero();
        Path f = Files.writeString(dir.resolve("fraction.json"), "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                + "\"run_id\":\"t1\",\"metrics\":{\"time_fraction\":35.0}}");

        PushCommandTest.Run r = run("push", f.toString(), "--db", db);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("35 is outside [0, 1], though time_fraction is a proportion (its definition's unit "
                + "is 'ratio')");
    }

    @Test
    void a_metric_defined_as_a_percentage_is_not_warned_of() throws IOException {
        assertThat(run("metrics", "define", "accuracy", "--direction", "higher_is_better", "--unit", "%", "--db", db)
                .exitCode()).isZero();

        PushCommandTest.Run r = run("import", results("defined", 86.0, 87.5).toString(), "--db", db);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("outside [0, 1]");
    }
}
