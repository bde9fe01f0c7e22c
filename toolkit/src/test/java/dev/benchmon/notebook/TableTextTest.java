package dev.benchmon.notebook;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TableTextTest {
    @Test
    void columns_after_wide_characters_line_up_in_a_terminal() {
        Table t = Table.create("names", StringColumn.create("model", "llama-3-8b", "modèle-日本語-🚀", "e\u0301t\u00e9"),
                StringColumn.create("env", "ci", "ci", "ci"));

        // Each of 日, 本, 語 and 🚀 takes two columns; the combining accent none: "ci" starts at one column on every row.
        List<Integer> starts = TableText.of(t).lines().skip(3).map(l -> DisplayWidth.of(l.substring(0, l.indexOf("ci"))))
                .toList();
        assertThat(starts).hasSize(3).containsOnly(starts.get(0));
    }

    @Test
    void the_rule_under_a_header_of_wide_characters_is_as_wide_as_the_header() {
        Table t = Table.create("names", StringColumn.create("精度", "0.9"), StringColumn.create("环境", "ci"));

        List<String> lines = TableText.of(t).lines().toList();

        assertThat(lines.get(2)).isEqualTo("-".repeat(DisplayWidth.of(lines.get(1))));
    }

    @Test
    void emoji_among_the_symbols_flags_and_the_newer_pictographs_take_two_columns() {
        // ⚡ U+26A1, ✅ U+2705, ❌ U+274C; a flag is two regional indicators; 🫠 U+1FAE0.
        assertThat(DisplayWidth.of("\u26A1")).isEqualTo(2);
        assertThat(DisplayWidth.of("\u2705")).isEqualTo(2);
        assertThat(DisplayWidth.of("\u274C")).isEqualTo(2);
        assertThat(DisplayWidth.of("\uD83C\uDDEF\uD83C\uDDF5")).isEqualTo(4);
        assertThat(DisplayWidth.of("\uD83E\uDEE0")).isEqualTo(2);
        // The text symbols of the same blocks take one: ☀ U+2600, ✓ U+2713, ➜ U+279C.
        assertThat(DisplayWidth.of("\u2600\u2713\u279C")).isEqualTo(3);
    }

    @Test
    void a_long_text_of_wide_characters_is_cut_to_the_cell_width_without_splitting_a_character() {
        Table t = Table.create("x", StringColumn.create("model", "🚀".repeat(80)));

        String row = TableText.of(t).lines().skip(3).findFirst().orElseThrow();
        assertThat(DisplayWidth.of(row)).isLessThanOrEqualTo(TableText.DEFAULT_WIDTH);
        assertThat(row).contains("…").doesNotContain("\uFFFD");
        // no half of a rocket's surrogate pair on either side of the …
        assertThat(row.codePoints()).allMatch(cp -> cp == '…' || cp == 0x1F680);
    }

    @Test
    void texts_that_differ_only_in_the_middle_are_cut_to_show_where_they_differ() {
        Table t = Table.create("backtest", StringColumn.create("series",
                        "model-a / eval-suite-alpha-2024-full-v3 @ci", "model-a / eval-suite-beta-2024-full-v3 @ci",
                        "model-a / eval-suite-alpha-2024-full-v3 @ci"),
                StringColumn.create("metric", "f1", "f1", "latency_ms"), IntColumn.create("runs", 120, 118, 120));

        List<String> series = TableText.of(t, 40, 10, 5).lines().filter(l -> l.contains("model-a"))
                .map(l -> l.substring(l.indexOf("model-a")).strip()).toList();

        assertThat(series).hasSize(3);
        assertThat(series.get(0)).isNotEqualTo(series.get(1)).contains("alpha").contains("\u2026");
        assertThat(series.get(1)).contains("beta");
        assertThat(series.get(2)).isEqualTo(series.get(0));
        assertThat(TableText.of(t, 40, 10, 5).lines()).allMatch(l -> DisplayWidth.of(l) <= 40);
    }

    @Test
    void texts_that_differ_in_the_middle_and_at_the_end_or_in_two_places_each_print_their_own_way() {
        List<String> names = List.of("model-a / eval-suite-alpha-2024-full-x-v3 @ci",
                "model-a / eval-suite-alpha-2024-full-x-v3 @nightly", "model-a / eval-suite-beta-2024-full-x-v3 @ci",
                "model-a / eval-suite-beta-2024-full-x-v3 @nightly", "model-a / eval-suite-alpha-2024-full-y-v3 @ci");
        Table t = Table.create("backtest", StringColumn.create("series", names),
                StringColumn.create("metric", java.util.Collections.nCopies(names.size(), "f1")));

        for (int width : new int[] {40, 44, 50}) {
            List<String> printed = TableText.of(t, width, 10, 5).lines().filter(l -> l.contains("model-a"))
                    .map(l -> l.substring(l.indexOf("model-a")).strip()).toList();
            assertThat(printed).as("at %d columns", width).hasSize(names.size()).doesNotHaveDuplicates();
        }
    }

    @Test
    void a_long_text_keeps_its_start_and_its_end_so_rows_that_differ_at_the_end_read_apart() {
        Table t = Table.create("alerts",
                StringColumn.create("series", "gpt-4o-mini / benchmark-set-v3 @ci", "gpt-4o-mini / benchmark-set-v4 @ci"),
                StringColumn.create("test", "tests/test_speed.py::test_decode_long", "tests/test_speed.py::test_decode_short"));

        List<String> rows = TableText.of(t, 58, 10, 5).lines().skip(3).toList();

        assertThat(rows).hasSize(2).doesNotHaveDuplicates();
        assertThat(rows.get(0)).contains("gpt-4o-mini / benc…et-v3 @ci", "tests/test_speed.p…code_long");
        assertThat(rows.get(1)).contains("gpt-4o-mini / benc…et-v4 @ci", "tests/test_speed.p…ode_short");
        assertThat(rows).allSatisfy(r -> assertThat(DisplayWidth.of(r)).isLessThanOrEqualTo(58));
    }

    @Test
    void a_table_narrower_than_its_line_prints_its_texts_whole() {
        Table t = Table.create("regressions", StringColumn.create("dataset_version", "benchmark-set-v4", "benchmark-set-v4"),
                StringColumn.create("metric", "f1", "latency_ms"), StringColumn.create("outcome", "regression", "ok"),
                StringColumn.create("explanation", "beyond the noise band: -2.1 points (4.2 sd)",
                        "within noise: -0.4 ms (1.3 sd)"));

        String text = TableText.of(t);

        assertThat(text).contains("beyond the noise band: -2.1 points (4.2 sd)", "within noise: -0.4 ms (1.3 sd)")
                .doesNotContain("…");
    }

    @Test
    void a_table_wider_than_its_line_cuts_its_widest_text_first_and_only_as_much_as_the_line_needs() {
        String note = "n".repeat(50) + "-" + "e".repeat(49);
        String verdict = "regression on f1 beyond the noise band of the series";
        Table t = Table.create("alerts", StringColumn.create("verdict", verdict, verdict), StringColumn.create("note", note, note));

        List<String> lines = TableText.of(t).lines().toList();

        // 52 + 2 + 66 = 120: the verdict whole, the note cut to the rest of the line.
        assertThat(lines.get(3)).startsWith(verdict + "  ").contains("…").hasSize(120);
        assertThat(lines.get(3).substring(54)).hasSize(66).startsWith("n".repeat(44) + "…").endsWith("…" + "e".repeat(21));
    }

    @Test
    void no_text_is_cut_to_fewer_than_28_columns_while_others_are_shown_whole() {
        String x = "x".repeat(40);
        String y = "y".repeat(40);
        Table t = Table.create("two", StringColumn.create("x", x, x), StringColumn.create("y", y, y));

        String row = TableText.of(t, 60, 10, 5).lines().skip(3).findFirst().orElseThrow();

        // 29 + 2 + 29 = 60: each 40-character text cut alike, both to the room the line leaves.
        assertThat(row.split(" {2}")).containsExactly("x".repeat(19) + "…" + "x".repeat(9), "y".repeat(19) + "…" + "y".repeat(9));
    }

    @Test
    void a_commit_range_cut_to_its_column_keeps_its_two_dots_and_the_first_12_characters_of_each_sha() {
        String before = "be437c7ba6caf4a341d9e2f0b8c1a7d6e5f437c5";
        String after = "197a14e2ac08d1f3b5c7e9a2d4f6b8c0e1a3c5d7";
        String range = before + ".." + after;
        Table t = Table.create("alerts", StringColumn.create("commit_range", range, range),
                StringColumn.create("verdict", "latency_ms regression beyond the noise band of the series in " + range,
                        "latency_ms regression beyond the noise band of the series in " + range));

        String row = TableText.of(t).lines().skip(3).findFirst().orElseThrow();

        assertThat(row).startsWith("be437c7ba6ca..197a14e2ac08  ").doesNotContain("~")
                .endsWith("series in be437c7ba6ca..197a14e2ac08");
    }

    @Test
    void a_commit_sha_is_printed_whole_when_the_line_has_room_for_it() {
        String sha = "be437c7ba6caf4a341d9e2f0b8c1a7d6e5f437c5";
        Table t = Table.create("runs", StringColumn.create("commit_sha", sha, sha), StringColumn.create("run_id", "1", "2"));

        assertThat(TableText.of(t)).contains(sha);
    }

    @Test
    void a_value_said_once_below_the_rows_gets_the_room_of_the_line() {
        String explanation = "first run of this series: nothing to compare with yet, the next run will be judged";
        Table t = Table.create("verdicts");
        t.addColumns(StringColumn.create("explanation", explanation, explanation));
        IntStream.range(0, 8).forEach(i -> t.addColumns(StringColumn.create("column_number_" + i, "value " + i, "other " + i)));

        String text = TableText.of(t);

        assertThat(text.replace('\n', ' ')).contains("explanation=" + explanation);
        assertThat(text.lines()).allSatisfy(l -> assertThat(DisplayWidth.of(l)).isLessThanOrEqualTo(120));
    }

    @Test
    void numbers_are_rounded_to_four_significant_digits() {
        Table t = Table.create("x", DoubleColumn.create("f1", 0.8892599999999999, 412.34567));

        assertThat(TableText.of(t)).contains("0.8893", "412.3").doesNotContain("0.88925");
    }

    @Test
    void a_wide_table_stays_within_the_width_and_names_the_columns_left_out() {
        Table t = Table.create("wide");
        IntStream.range(0, 30).forEach(i -> t.addColumns(StringColumn.create("column_number_" + i, "value " + i)));

        String text = TableText.of(t, 80, 10, 5);

        assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        assertThat(text).contains("more columns:", "column_number_29");
    }

    @Test
    void a_long_table_shows_its_first_and_last_rows() {
        Table t = Table.create("long", IntColumn.create("i", IntStream.range(0, 100).toArray()));

        String text = TableText.of(t, 120, 3, 2);

        assertThat(text).contains("long  (100 rows x 1 column)", "... 95 more rows ...");
        assertThat(text.lines().map(String::strip).toList()).contains("0", "2", "98", "99").doesNotContain("50");
    }

    @Test
    void one_row_left_out_of_a_long_table_is_one_more_row() {
        Table t = Table.create("long", IntColumn.create("i", IntStream.range(0, 6).toArray()));

        assertThat(TableText.of(t, 120, 3, 2)).contains("... 1 more row ...").doesNotContain("rows ...");
    }

    @Test
    void a_wide_table_says_the_columns_that_hold_one_value_once_and_shows_the_values_in_their_place() {
        Table t = Table.create("latest snapshots",
                StringColumn.create("model_version", "EleutherAI/pythia-1b", "EleutherAI/pythia-1b", "EleutherAI/pythia-1b"),
                StringColumn.create("dataset_version", "hellaswag", "arc_easy", "winogrande"),
                StringColumn.create("prompt_version", "", "", ""),
                StringColumn.create("environment", "local", "local", "local"),
                StringColumn.create("model_provider", "", "", ""),
                StringColumn.create("branch", "main", "main", "main"),
                StringColumn.create("run_id", "run-1", "run-2", "run-3"),
                DoubleColumn.create("acc,none", 0.4921, 0.5612, 0.5301),
                DoubleColumn.create("acc_norm,none", 0.6301, 0.5102, 0.5299));

        String text = TableText.of(t, 80, 10, 5);

        String header = text.lines().skip(1).findFirst().orElseThrow();
        assertThat(header).contains("dataset_version", "run_id", "acc,none", "acc_norm,none").doesNotContain("environment");
        assertThat(text).contains("latest snapshots  (3 rows x 9 columns)", "0.4921", "0.6301").doesNotContain("more column");
        assertThat(text.replace('\n', ' ')).contains("(same in every row: model_version=EleutherAI/pythia-1b, "
                + "prompt_version=(none), environment=local, model_provider=(none), branch=main)");
        assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    }

    @Test
    void a_table_that_fits_keeps_its_columns_of_one_value() {
        Table t = Table.create("fits", StringColumn.create("environment", "ci", "ci"), DoubleColumn.create("f1", 0.81, 0.82));

        String text = TableText.of(t);

        assertThat(text.lines().skip(1).findFirst().orElseThrow()).contains("environment", "f1");
        assertThat(text).doesNotContain("same in every row");
    }

    @Test
    void one_row_is_never_folded_into_a_note() {
        Table t = Table.create("one");
        IntStream.range(0, 12).forEach(i -> t.addColumns(StringColumn.create("column_number_" + i, "value " + i)));

        assertThat(TableText.of(t, 80, 10, 5)).doesNotContain("same in every row").contains("more columns:");
    }

    @Test
    void the_names_of_a_series_are_shown_before_other_columns_when_not_all_fit() {
        Table t = Table.create("pythia-1b: acc,none by day",
                StringColumn.create("bucket", "2026-12-01 00:00", "2026-12-01 00:00", "2026-12-02 00:00"),
                StringColumn.create("model_version", "pythia-1b", "pythia-1b", "pythia-1b"),
                DoubleColumn.create("mean", 0.53, 0.472, 0.487), DoubleColumn.create("min", 0.52, 0.47, 0.48),
                DoubleColumn.create("max", 0.54, 0.474, 0.49), DoubleColumn.create("stddev", 0.01, 0.002, 0.005),
                IntColumn.create("count", 3, 2, 3), StringColumn.create("last_commit_sha",
                        "0123456789abcdef0123456789abcdef01234567", "1123456789abcdef0123456789abcdef01234567",
                        "2123456789abcdef0123456789abcdef01234567"),
                StringColumn.create("last_run_id", "nightly-2026-12-01-a", "nightly-2026-12-01-b", "nightly-2026-12-02"),
                StringColumn.create("dataset_version", "hellaswag", "arc_easy", "winogrande"));

        String text = TableText.of(t, 80, 10, 5);

        String header = text.lines().skip(1).findFirst().orElseThrow();
        // The bucket and the series' names say what a row is about: first, then the values.
        assertThat(header).startsWith("bucket").contains("mean", "dataset_version");
        assertThat(header.indexOf("dataset_version")).isLessThan(header.indexOf("mean"));
        assertThat(text.replace('\n', ' ')).contains("more columns:", "last_run_id");
        assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    }

    @Test
    void a_comparisons_active_alert_is_shown_beside_its_headline_values_when_not_all_columns_fit() {
        Table t = Table.create("f1 by model", StringColumn.create("model_version", "m1", "m2"),
                StringColumn.create("metric", "f1", "f1"), IntColumn.create("runs", 30, 30),
                DoubleColumn.create("mean", 0.91, 0.88), DoubleColumn.create("std", 0.004, 0.02),
                DoubleColumn.create("min", 0.9, 0.8), DoubleColumn.create("max", 0.92, 0.91),
                DoubleColumn.create("last", 0.91, 0.8), DoubleColumn.create("diff_to_first", 0.0, -0.03),
                DoubleColumn.create("relative_diff_to_first", 0.0, -0.033),
                StringColumn.create("active_alert", "", "#4 open, critical: -10.0 points"));

        String text = TableText.of(t, 90, 10, 5);

        String header = text.lines().skip(1).findFirst().orElseThrow();
        assertThat(header).contains("mean", "diff_to_first", "active_alert");
        assertThat(text).contains("#4 open, critical");
    }

    @Test
    void a_comparison_without_active_alerts_says_so_once_below_the_rows() {
        Table t = Table.create("f1 by model", StringColumn.create("model_version", "m1", "m2"),
                DoubleColumn.create("mean", 0.91, 0.88), DoubleColumn.create("std", 0.004, 0.02),
                DoubleColumn.create("min", 0.9, 0.8), DoubleColumn.create("max", 0.92, 0.91),
                DoubleColumn.create("diff_to_first", 0.0, -0.03), StringColumn.create("active_alert", "", ""));

        String text = TableText.of(t, 60, 10, 5);

        assertThat(text.lines().skip(1).findFirst().orElseThrow()).doesNotContain("active_alert");
        assertThat(text.replace('\n', ' ')).contains("active_alert=(none)");
    }

    @Test
    void values_are_shown_before_their_standard_errors_when_not_all_columns_fit() {
        assertThat(shownColumns(31, DoubleColumn.create("acc", 0.5, 0.6), DoubleColumn.create("acc_stderr", 0.01, 0.02),
                DoubleColumn.create("f1", 0.7, 0.8))).containsExactly("model_version", "acc", "f1");
    }

    @Test
    void a_metric_named_like_a_standard_error_of_no_column_of_the_table_is_a_value_like_the_others() {
        assertThat(shownColumns(31, DoubleColumn.create("a", 0.5, 0.6), DoubleColumn.create("loss_stderr", 0.01, 0.02),
                DoubleColumn.create("z", 0.7, 0.8))).containsExactly("model_version", "a", "loss_stderr");
    }

    @Test
    void beside_a_metric_named_acc_stderr_the_standard_errors_of_acc_are_acc_stderr_2_and_come_after_the_values() {
        assertThat(shownColumns(30, DoubleColumn.create("acc", 0.5, 0.6), DoubleColumn.create("acc_stderr", 0.3, 0.4),
                DoubleColumn.create("acc_stderr_2", 0.01, 0.02), DoubleColumn.create("f1", 0.7, 0.8)))
                .containsExactly("model_version", "acc", "acc_stderr");
    }

    /** The header's column names of a two-row history of {@code metrics} printed {@code width} characters wide. */
    private static String[] shownColumns(int width, DoubleColumn... metrics) {
        Table t = Table.create("history", StringColumn.create("model_version", "m1", "m2"));
        t.addColumns(metrics);
        return TableText.of(t, width, 10, 5).lines().skip(1).findFirst().orElseThrow().split(" +");
    }

    @Test
    void a_cut_text_keeps_no_part_of_a_number_on_either_side_of_the_ellipsis() {
        Table t = Table.create("alerts", StringColumn.create("active_alert", "#3 open, critical: -5.3 points"));

        String row = TableText.of(t, 28, 10, 5).lines().skip(3).findFirst().orElseThrow();

        // cut as before, the last third started within the number: "#3 open, critical:….3 points"
        assertThat(row.strip()).isEqualTo("#3 open, critical: … points");
    }

    @Test
    void a_text_that_is_one_long_number_keeps_its_start_and_end_digits() {
        Table t = Table.create("runs", StringColumn.create("run_id", "12345678901234567890123456789012345"));

        String row = TableText.of(t, 28, 10, 5).lines().skip(3).findFirst().orElseThrow();

        assertThat(row.strip()).isEqualTo("123456789012345678…789012345");
    }

    @Test
    void a_number_joined_to_a_name_by_a_hyphen_is_a_number_of_its_own_and_is_kept() {
        Table t = Table.create("series", StringColumn.create("series", "meta-llama/llama-3-instruct-70b @ci"));

        String row = TableText.of(t, 22, 10, 5).lines().skip(3).findFirst().orElseThrow();

        assertThat(row.strip()).isEqualTo("meta-llama/lla…70b @ci");
    }
}
