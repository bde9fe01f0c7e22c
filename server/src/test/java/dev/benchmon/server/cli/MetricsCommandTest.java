package dev.benchmon.server.cli;

import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.notebook.DisplayWidth;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code benchmon metrics define} and {@code list} on a fresh database each: a minimum effect as push takes it. */
class MetricsCommandTest {
    private String db;

    @TempDir
    Path dir;

    @BeforeEach
    void freshDatabase() {
        db = TestServer.freshDatabaseUrlWithCredentials();
    }

    @Test
    void define_takes_the_minimum_effect_as_a_percentage_as_push_does_and_list_shows_it() {
        PushCommandTest.Run define = run("metrics", "define", "f1", "--direction", "higher_is_better", "--min-effect", "2%",
                "--db", db);

        assertThat(define.exitCode()).as(define.err()).isZero();
        assertThat(define.out()).contains(", min effect 2%,");
        assertThat(run("metrics", "list", "--db", db).out()).containsPattern("f1\\s+higher_is_better\\s+ratio\\s+2%\\s+declared");
    }

    @Test
    void define_without_a_minimum_effect_says_it_keeps_the_one_defined_before() {
        run("metrics", "define", "f1", "--direction", "lower_is_better", "--min-effect", "2%", "--db", db);
        PushCommandTest.Run again = run("metrics", "define", "f1", "--direction", "higher_is_better", "--db", db);

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains(", min effect 2% (kept: defined before; --min-effect changes it),");
    }

    /** The definition {@code name} has in the database now (every field, as a define stored it). */
    private MetricDefinition stored(String name) {
        try (Benchmon bm = Benchmon.connect(db)) {
            return bm.detection().definitions().get(name);
        }
    }

    /** accuracy comes defined with a new database: unit ratio, "Share of predictions that are correct". */
    @Test
    void define_without_unit_or_description_keeps_the_unit_and_description_defined_before() {
        PushCommandTest.Run define = run("metrics", "define", "accuracy", "--direction", "higher_is_better",
                "--min-effect", "0.01", "--db", db);

        assertThat(define.exitCode()).as(define.err()).isZero();
        assertThat(stored("accuracy")).isEqualTo(new MetricDefinition("accuracy", MetricDirection.HIGHER_IS_BETTER,
                "ratio", 0.01, "Share of predictions that are correct"));
    }

    @Test
    void define_says_the_whole_definition_it_stored_and_what_it_kept_from_before() {
        PushCommandTest.Run define = run("metrics", "define", "accuracy", "--direction", "higher_is_better",
                "--min-effect", "0.01", "--db", db);

        assertThat(define.out()).isEqualTo("defined accuracy: higher_is_better, unit ratio (kept: defined before; --unit "
                + "changes it, --unit '' removes it), min effect 0.01, description \"Share of predictions that are "
                + "correct\" (kept: defined before; --description changes it, --description '' removes it)"
                + System.lineSeparator());
    }

    @Test
    void define_with_an_empty_unit_and_description_removes_them_and_says_so() {
        PushCommandTest.Run define = run("metrics", "define", "accuracy", "--direction", "higher_is_better", "--unit", "",
                "--description", "", "--db", db);

        assertThat(define.exitCode()).as(define.err()).isZero();
        assertThat(define.out()).isEqualTo("defined accuracy: higher_is_better, unit removed, description removed"
                + System.lineSeparator());
        assertThat(stored("accuracy")).isEqualTo(MetricDefinition.of("accuracy", MetricDirection.HIGHER_IS_BETTER));
    }

    @Test
    void define_with_a_unit_and_description_replaces_them_and_says_them_without_kept() {
        PushCommandTest.Run define = run("metrics", "define", "accuracy", "--direction", "higher_is_better", "--unit", "%",
                "--description", "two\nlines", "--db", db);

        assertThat(define.out()).isEqualTo("defined accuracy: higher_is_better, unit %, description \"two\\nlines\""
                + System.lineSeparator());
        assertThat(stored("accuracy")).isEqualTo(new MetricDefinition("accuracy", MetricDirection.HIGHER_IS_BETTER,
                "%", null, "two\nlines"));
    }

    @Test
    void define_still_takes_a_number_in_the_metrics_unit() {
        PushCommandTest.Run define = run("metrics", "define", "latency_ms", "--direction", "lower_is_better", "--unit", "ms",
                "--min-effect", "0.5", "--db", db);

        assertThat(define.exitCode()).as(define.err()).isZero();
        assertThat(run("metrics", "list", "--db", db).out()).containsPattern("latency_ms\\s+lower_is_better\\s+ms\\s+0.5\\s");
    }

    /** {@code metrics list} after pushing one result whose one metric is {@code metric} (undefined, so unknown). */
    private String listAfterPushing(String metric) throws IOException {
        Path file = Files.writeString(dir.resolve("r.json"), "{\"model_version\": \"m\", \"dataset_version\": \"d\", "
                + "\"metrics\": {\"" + metric + "\": 0.5}}");
        assertThat(run("push", file.toString(), "--db", db).exitCode()).isZero();
        return run("metrics", "list", "--db", db).out();
    }

    /** An unknown metric's suggested command is quoted for a shell: {@code <i>acc</i>} unquoted is a redirection. */
    @Test
    void the_command_suggested_for_an_unknown_metric_is_quoted_as_the_verdicts_quote_it() throws IOException {
        String list = listAfterPushing("<i>zorb</i>");

        assertThat(list).contains("unknown: benchmon metrics define '<i>zorb</i>' --direction higher_is_better|lower_is_better|none")
                .doesNotContain("define <i>zorb</i>");
    }

    /** A name that begins with '-' would be read as an option: the suggested command puts it last, after "--". */
    @Test
    void the_command_suggested_for_a_metric_named_with_a_leading_dash_defines_it_when_run_as_printed() throws IOException {
        String list = listAfterPushing("-zorb");
        String suggested = list.substring(list.indexOf("unknown: benchmon metrics define ") + "unknown: benchmon ".length())
                .lines().findFirst().orElseThrow().strip();
        assertThat(suggested).isEqualTo("metrics define --direction higher_is_better|lower_is_better|none -- -zorb");

        List<String> args = new java.util.ArrayList<>(List.of(suggested.replace("higher_is_better|lower_is_better|none",
                "lower_is_better").split(" ")));
        args.addAll(args.indexOf("--"), List.of("--db", db)); // options before "--", as a user adds them
        PushCommandTest.Run define = run(args.toArray(String[]::new));

        assertThat(define.exitCode()).as(define.err()).isZero();
        assertThat(run("metrics", "list", "--db", db).out()).containsPattern("-zorb\\s+lower_is_better\\s+.*declared");
    }

    @Test
    void a_metric_without_a_stated_minimum_effect_lists_its_default_and_one_never_judged_none() throws IOException {
        String list = listAfterPushing("accuracy");
        assertThat(run("metrics", "define", "zorb_seed", "--direction", "none", "--db", db).exitCode()).isZero();

        assertThat(list).containsPattern("accuracy\\s+higher_is_better\\s+ratio\\s+0.5% \\(default\\)\\s+default definition");
        assertThat(run("metrics", "list", "--db", db).out()).containsPattern("zorb_seed\\s+none\\s+declared");
    }

    @Test
    void an_option_added_after_the_end_of_options_is_refused_saying_to_give_it_before_and_nothing_is_stored() {
        PushCommandTest.Run define = run("metrics", "define", "--direction", "lower_is_better", "--db", db, "--", "-zorb",
                "--unit", "ms");

        assertThat(define.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(define.err()).isEqualTo("error: --unit comes after --, where every argument is read as a name, not an "
                + "option: give the options before -- and the names after it; see benchmon metrics define --help"
                + System.lineSeparator());
        assertThat(run("metrics", "list", "--db", db).out()).doesNotContain("-zorb");
    }

    @Test
    void an_extra_name_after_the_end_of_options_is_not_called_an_option() {
        PushCommandTest.Run define = run("metrics", "define", "--direction", "none", "--db", db, "--", "-zorb", "-zorc");

        assertThat(define.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(define.err()).contains("-zorc").doesNotContain("not an option");
    }

    @Test
    void the_list_lines_up_in_a_terminal_when_a_metric_or_unit_is_named_in_cjk() {
        assertThat(run("metrics", "define", "准确率", "--direction", "higher_is_better", "--unit", "件", "--db", db)
                .exitCode()).isZero();

        List<String> lines = run("metrics", "list", "--db", db).out().lines().toList();

        // Every column starts at the same terminal column on every line: 准, 确, 率 and 件 take two each.
        String header = lines.get(0);
        String row = lines.stream().filter(l -> l.startsWith("准确率")).findFirst().orElseThrow();
        assertThat(DisplayWidth.of(row.substring(0, row.indexOf("higher_is_better")))).isEqualTo(header.indexOf("direction"));
        assertThat(DisplayWidth.of(row.substring(0, row.indexOf("declared")))).isEqualTo(header.indexOf("source"));
    }

    @Test
    void a_files_metric_definitions_state_a_percentage_as_define_does() throws IOException {
        Path f = Files.writeString(dir.resolve("defs.json"), "{\"metric_definitions\": {\"bleu\": {\"direction\": "
                + "\"higher_is_better\", \"min_effect\": \"2%\"}}, \"results\": [{\"model_version\": \"m\", "
                + "\"dataset_version\": \"d\", \"metrics\": {\"bleu\": 31.5}}]}");

        PushCommandTest.Run imported = run("import", f.toString(), "--db", db);

        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(run("metrics", "list", "--db", db).out()).containsPattern("bleu\\s+higher_is_better\\s+2%\\s+declared");
    }

    @Test
    void a_declared_percentage_decides_what_counts_as_a_regression() throws IOException {
        assertThat(run("metrics", "define", "f1", "--direction", "higher_is_better", "--min-effect", "50%", "--db", db)
                .exitCode()).isZero();
        // 30 daily runs of f1 and recall near 0.90 (noise sd 0.004), then both fall by 22%: beyond recall's default
        // minimum effect, within f1's declared 50%.
        java.util.Random noise = new java.util.Random(42);
        StringBuilder runs = new StringBuilder();
        for (int i = 0; i <= 30; i++) {
            double level = i < 30 ? 0.90 : 0.70;
            runs.append(String.format(java.util.Locale.ROOT, "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                    + "\"run_at\":\"%s\",\"metrics\":{\"f1\":%.4f,\"recall\":%.4f}}%n",
                    java.time.Instant.parse("2026-01-01T00:00:00Z").plus(java.time.Duration.ofDays(i)),
                    level + 0.004 * noise.nextGaussian(), level + 0.004 * noise.nextGaussian()));
        }
        Path f = Files.writeString(dir.resolve("runs.jsonl"), runs);

        PushCommandTest.Run push = run("push", f.toString(), "--db", db);

        assertThat(push.exitCode()).as(push.err()).isZero();
        assertThat(push.out()).as(push.out()).containsPattern("result 31 \\(id \\d+\\) m / d @local  recall ")
                .doesNotContainPattern("result 31 \\(id \\d+\\) m / d @local  f1 ");
    }

    @Test
    void a_bad_minimum_effect_names_the_option_and_changes_nothing() {
        // the schema first (a write creates it; metrics list, a read, refuses a database without it)
        assertThat(run("metrics", "recompute", "--db", db).exitCode()).isZero();
        PushCommandTest.Run define = run("metrics", "define", "f1", "--direction", "higher_is_better", "--min-effect", "2x",
                "--db", db);

        assertThat(define.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(define.err()).contains("error: invalid --min-effect: must be a number > 0 in the metric's unit, or a percentage above 0 "
                + "such as 2%, got '2x'");
        // f1 comes defined with a new database, without a minimum effect: it keeps none, and is still the default.
        assertThat(run("metrics", "list", "--db", db).out())
                .containsPattern("f1\\s+higher_is_better\\s+ratio\\s+[0-9.]+% \\(default\\)\\s+default definition");
    }

    @Test
    void a_default_definition_of_a_new_database_is_listed_as_such_until_someone_defines_it() {
        assertThat(run("metrics", "recompute", "--db", db).exitCode()).isZero(); // creates the schema

        assertThat(run("metrics", "list", "--db", db).out())
                .containsPattern("accuracy\\s+higher_is_better\\s+ratio\\s+.*default definition")
                .doesNotContainPattern("accuracy\\s+.*\\sdeclared");
        PushCommandTest.Run define = run("metrics", "define", "accuracy", "--direction", "higher_is_better", "--min-effect", "1%",
                "--db", db);
        assertThat(define.exitCode()).as(define.err()).isZero();
        assertThat(run("metrics", "list", "--db", db).out())
                .containsPattern("accuracy\\s+higher_is_better\\s+ratio\\s+1%\\s+declared");
    }

    /** A definition's minimum effect is above 0: -1 and 0 are refused alike, in the words of that rule. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"-1", "0", "0%"})
    void a_minimum_effect_not_above_0_is_refused_stating_the_rule_above_0(String effect) {
        PushCommandTest.Run define = run("metrics", "define", "f1", "--direction", "higher_is_better", "--min-effect", effect,
                "--db", db);

        assertThat(define.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(define.err()).isEqualTo("error: invalid --min-effect: must be a number > 0 in the metric's unit, or a "
                + "percentage above 0 such as 2%, got '" + effect + "'\n");
    }

    @Test
    void a_bad_direction_names_the_option_and_the_allowed_values_and_exits_2() {
        PushCommandTest.Run define = run("metrics", "define", "f1", "--direction", "bad", "--db", db);

        assertThat(define.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(define.err()).isEqualTo("error: invalid --direction: unknown direction 'bad' (allowed: higher_is_better, "
                + "lower_is_better, none)" + System.lineSeparator());
    }

    @Test
    void direction_higher_is_taken_for_higher_is_better_and_said_so() {
        PushCommandTest.Run define = run("metrics", "define", "zorb_score", "--direction", "higher", "--db", db);

        assertThat(define.exitCode()).as(define.err()).isZero();
        assertThat(define.out()).isEqualTo("defined zorb_score: higher_is_better" + System.lineSeparator());
        assertThat(stored("zorb_score").direction()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
    }

    @Test
    void the_help_of_direction_lists_the_short_forms_it_takes() {
        String help = run("metrics", "define", "--help").out().replaceAll("\\s+", " ");

        assertThat(help).contains("--direction=D higher_is_better, lower_is_better or none; also higher and lower (for "
                + "higher_is_better and lower_is_better), in any letter case");
    }

    @Test
    void a_unit_longer_than_the_api_takes_names_the_option_exits_2_and_is_not_stored() {
        assertThat(run("metrics", "recompute", "--db", db).exitCode()).isZero();
        PushCommandTest.Run define = run("metrics", "define", "newm", "--direction", "higher_is_better", "--unit", "u".repeat(70),
                "--db", db);

        assertThat(define.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(define.err()).isEqualTo("error: invalid --unit: is 70 characters long; at most 64" + System.lineSeparator());
        assertThat(run("metrics", "list", "--db", db).out()).doesNotContain("newm");
    }

    @Test
    void a_unit_on_two_lines_names_the_option_and_exits_2() {
        PushCommandTest.Run define = run("metrics", "define", "newm", "--direction", "higher_is_better", "--unit", "a\nb",
                "--db", db);

        assertThat(define.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(define.err()).startsWith("error: invalid --unit: ");
    }

    @Test
    void a_description_with_a_control_character_names_the_option_and_exits_2() {
        PushCommandTest.Run define = run("metrics", "define", "newm", "--direction", "higher_is_better", "--description",
                "rings\u0007", "--db", db);

        assertThat(define.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(define.err()).startsWith("error: invalid --description: ");
    }
}
