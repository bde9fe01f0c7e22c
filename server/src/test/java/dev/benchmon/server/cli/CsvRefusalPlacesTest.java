package dev.benchmon.server.cli;

import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refused CSV names each problem as its user sees the file: the line of the row and the column by its header name,
 * never a result's JSON path; and nothing is stored. push and import alike.
 */
class CsvRefusalPlacesTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** Runs {@code command} (push or import) on {@code csv}; returns its error output, asserting it refused the input. */
    private static String refused(String command, Path csv) {
        PushCommandTest.Run r = command.equals("push")
                ? run("push", csv.toString(), "--server", server.url())
                : run("import", csv.toString(), "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        return r.err();
    }

    private static void assertNothingStored(String model) {
        assertThat(server.get("/api/v1/history?model=" + model).statusCode()).as("nothing stored").isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void a_one_row_file_names_the_line_and_column_of_a_cell_that_is_not_a_number(String command) throws IOException {
        String model = "csv-place-one-" + command;
        Path csv = file("one.csv", "model_version,dataset_version,f1\n" + model + ",d1,abc\n");

        String err = refused(command, csv);

        assertThat(err).contains(csv + ": line 2, column f1: \"abc\" is not a number; a result needs at least one number")
                .doesNotContain("results[", "result 1");
        assertNothingStored(model);
    }

    /**
     * A spreadsheet's percentage cell beside a good number: refused (not dropped with a warning and exit 0, which lost
     * the measurement), naming the cell and the two numbers it could have meant.
     */
    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void a_percentage_cell_is_refused_naming_its_column_and_the_numbers_it_could_mean(String command) throws IOException {
        String model = "csv-place-percent-" + command;
        Path csv = file("percent.csv", "model_version,dataset_version,accuracy,f1\n" + model + ",d1,76.5%,0.8\n");

        String err = refused(command, csv);

        assertThat(err).contains(csv + ": line 2, column accuracy: must be a number, got the percentage \"76.5%\": "
                + "write it in the scale the metric's other results use, 0.765 as a fraction or 76.5 in percent");
        assertNothingStored(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void a_header_without_dataset_version_is_refused_naming_the_column_and_the_option(String command) throws IOException {
        String model = "csv-place-nodataset-" + command;
        Path csv = file("nodataset.csv", "model_version,f1\n" + model + ",0.5\n");

        String err = refused(command, csv);

        assertThat(err).contains("missing column dataset_version (found: model_version, f1)", "--dataset-version")
                .doesNotContain("line 2, column dataset_version");
        assertNothingStored(model);
    }

    /** No column matches the field the problem names (the metric's name is cut in it): the line and the field. */
    @Test
    void a_problem_no_column_matches_still_names_its_field() throws IOException {
        String model = "csv-place-long-name";
        Path csv = file("long.csv", "model_version,dataset_version," + "m".repeat(300) + "\n" + model + ",d1,0.5\n");

        String err = refused("push", csv);

        assertThat(err).contains(csv + ": line 2, metrics.mmm").contains(": is 300 characters long; at most 200");
        assertNothingStored(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void a_bad_number_in_the_second_row_is_named_by_that_rows_line_and_its_column(String command) throws IOException {
        String model = "csv-place-two-" + command;
        Path csv = file("two.csv", "model_version,dataset_version,f1\n" + model + ",d1,0.5\n" + model + ",d1,abc\n");

        String err = refused(command, csv);

        assertThat(err).contains(csv + ": line 3, column f1: \"abc\" is not a number; a result needs at least one number")
                .doesNotContain("results[", "result 2");
        assertNothingStored(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void a_missing_required_cell_is_named_by_its_line_and_column(String command) throws IOException {
        String model = "csv-place-missing-" + command;
        Path csv = file("missing.csv", "model_version,dataset_version,f1\n" + model + ",,0.5\n");

        String err = refused(command, csv);

        assertThat(err).contains(csv + ": line 2, column dataset_version: is required").doesNotContain("results[");
        assertNothingStored(model);
    }

    @Test
    void each_metric_cell_that_left_its_row_without_a_number_is_named_by_its_own_column() throws IOException {
        Path csv = file("both.csv", "model_version,dataset_version,f1,acc\ncsv-place-both,d1,abc,x\n");

        String err = refused("push", csv);

        assertThat(err).contains(csv + ": line 2, column f1: \"abc\" is not a number",
                csv + ": line 2, column acc: \"x\" is not a number");
        assertNothingStored("csv-place-both");
    }

    @Test
    void a_tag_is_named_by_the_tag_column_that_holds_it() throws IOException {
        Path csv = file("tag.csv", "model_version,dataset_version,tag.seed,f1\ncsv-place-tag,d1,"
                + "x".repeat(201) + ",0.5\n");

        String err = refused("push", csv);

        assertThat(err).contains(csv + ": line 2, column tag.seed: ").doesNotContain("results[");
        assertNothingStored("csv-place-tag");
    }

    @Test
    void a_json_file_keeps_naming_its_results_by_their_json_paths() throws IOException {
        Path json = file("one.json", "{\"model_version\":\"csv-place-json\",\"dataset_version\":\"d1\","
                + "\"metrics\":{\"f1\":\"abc\"}}");

        String err = refused("push", json);

        assertThat(err).contains(json + ": result 1, results[0].metrics: has no finite metric left once these were dropped: "
                + "metrics.f1 \"abc\"");
    }
}
