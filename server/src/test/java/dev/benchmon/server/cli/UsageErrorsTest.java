package dev.benchmon.server.cli;

import dev.benchmon.ingest.ClosestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** What a command line typed wrong answers: one line saying what is wrong and where the help is, exit 2. */
class UsageErrorsTest {
    @ParameterizedTest
    @ValueSource(strings = {"alerts", "kernel", "metrics"})
    void a_command_group_without_a_command_is_a_usage_error_naming_its_commands(String group) {
        PushCommandTest.Run r = run(group);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: benchmon " + group + " needs a command: one of ")
                .endsWith("; see benchmon " + group + " --help" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    /** An option of its commands given to the group itself: the missing command is the mistake, not the option. */
    @ParameterizedTest
    @ValueSource(strings = {"alerts", "metrics"})
    void a_command_group_given_an_option_before_a_command_says_it_needs_a_command(String group) {
        PushCommandTest.Run r = run(group, "--server", "http://127.0.0.1:1");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: benchmon " + group + " needs a command: one of ")
                .contains("; give the command before its options (benchmon " + group + " list --server ...)")
                .doesNotContain("Unknown option");
    }

    @Test
    void a_command_groups_own_help_still_answers_0() {
        PushCommandTest.Run r = run("alerts", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: benchmon alerts");
    }

    @Test
    void the_whole_tool_without_a_command_still_prints_its_usage() {
        PushCommandTest.Run r = run();

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: benchmon");
    }

    @Test
    void help_follows_the_whole_command_path() {
        PushCommandTest.Run r = run("help", "alerts", "list");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: benchmon alerts list").doesNotContain("Usage: benchmon alerts [");
    }

    @Test
    void help_of_jshell_is_its_help_not_an_unknown_command() {
        PushCommandTest.Run r = run("help", "jshell");

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Usage: benchmon jshell");
    }

    @Test
    void jshell_with_both_a_home_and_a_database_is_refused_before_jshell_starts() {
        PushCommandTest.Run r = run("jshell", "--home", "/tmp/nowhere", "--db", "jdbc:postgresql://localhost/benchmon");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).isEqualTo("error: give one of --home and --db, not both" + System.lineSeparator());
    }

    @Test
    void help_of_an_unknown_command_is_one_line_naming_those_there_are() {
        PushCommandTest.Run r = run("help", "alerts", "lst");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("error: unknown command 'benchmon alerts lst': one of list, show, ack")
                .endsWith("; see benchmon alerts --help");
    }

    @Test
    void a_value_not_offered_is_one_line_not_the_usage() {
        PushCommandTest.Run r = run("export", "bogus");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines()).singleElement().asString().startsWith("error: ")
                .contains("expected one of [history, snapshots]", "'bogus'").doesNotContain("did you mean")
                .endsWith("; see benchmon export --help");
    }

    /** A mistyped value of a fixed set ({@code export histroy}) or command of a group ({@code alerts lsit}). */
    @ParameterizedTest
    @CsvSource({"export, histroy, history", "alerts, lsit, list"})
    void a_mistyped_word_is_one_line_with_the_word_meant(String command, String typed, String meant) {
        PushCommandTest.Run r = run(command, typed);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines()).singleElement().asString().startsWith("error: ")
                .contains("'" + typed + "'", "(did you mean " + meant + "?)").endsWith("; see benchmon " + command + " --help");
    }

    /**
     * A mistyped value of an option that takes one of a few words names the word meant as a mistyped command does, and
     * still lists them all: export formats, alert states, tool formats. Refused before any database or server is asked.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "export history --format jsnl | jsnl | jsonl | csv or jsonl",
            "alerts list --state opne | opne | open | [open, acknowledged, expected, resolved, muted] or all",
            "import --format lm-evl results.json | lm-evl | lm-eval | json, csv, google-benchmark, hf-trainer, lm-eval,",
            "push --format lm-evl results.json | lm-evl | lm-eval | json, csv, google-benchmark, hf-trainer, lm-eval,"})
    void a_mistyped_value_of_an_option_names_the_value_meant_beside_those_allowed(String line, String typed,
                                                                                 String meant, String allowed) {
        PushCommandTest.Run r = run(line.split(" "));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines()).singleElement().asString().startsWith("error: ")
                .contains("'" + typed + "'", allowed, "(did you mean " + meant + "?)");
    }

    /** Two letters of three changed is another word: {@code alerts add} is not {@code ack}, {@code ls} not {@code list}. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"add", "ls"})
    void a_word_too_far_from_every_choice_gets_no_suggestion(String typed) {
        assertThat(ClosestNames.didYouMean(typed, java.util.List.of("list", "ack", "expect", "resolve", "mute", "unmute",
                "exclude", "include"))).isEmpty();
    }

    @Test
    void a_missing_required_option_is_one_line_not_the_usage() {
        PushCommandTest.Run r = run("alerts", "mute", "2");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines()).singleElement().asString().startsWith("error: Missing required option: '--reason")
                .endsWith("; see benchmon alerts mute --help");
    }

    @Test
    void a_mistyped_option_is_one_line_with_picoclis_suggestion() {
        PushCommandTest.Run r = run("export", "history", "--limt", "3");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines()).singleElement().asString().startsWith("error: Unknown options: '--limt', '3'")
                .contains("did you mean --limit?").endsWith("; see benchmon export --help");
    }

    /** Picocli starts an option group's refusals with "Error: "; after benchmon's own "error: " it is said once. */
    @Test
    void options_that_exclude_each_other_are_one_line_saying_error_once() {
        PushCommandTest.Run r = run("kernel", "install", "--user", "--prefix", "/tmp/benchmon-kernel-x");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("error: --user, --prefix=DIR are mutually exclusive").doesNotContainIgnoringCase("error: error")
                .endsWith("; see benchmon kernel install --help");
    }

    @Test
    void a_period_given_both_ways_is_one_line_saying_error_once() {
        PushCommandTest.Run r = run("alerts", "mute", "2", "--reason", "flaky", "--for", "1d", "--until", "2099-01-01T00:00:00Z");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("error: --for=D, --until=INSTANT are mutually exclusive").doesNotContainIgnoringCase("error: error")
                .endsWith("; see benchmon alerts mute --help");
    }
}
