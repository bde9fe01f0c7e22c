package dev.benchmon.server.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command's help, as a user first reads it. */
class CommandHelpTest {
    private static CommandLine commandLine() {
        return Main.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
    }

    @Test
    void every_commands_help_prints_without_picocli_warnings() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        // picocli reports a description it cannot format (a lone % in it) on System.err, not on the command's writer.
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (String name : commandLine().getSubcommands().keySet()) {
                CommandLine cl = commandLine();
                StringWriter out = new StringWriter();
                cl.setOut(new PrintWriter(out, true));
                assertThat(cl.execute(name, "--help")).as(name).isZero();
                assertThat(out.toString()).as(name).contains("Usage: benchmon " + name);
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    @Test
    void version_prints_the_projects_version_from_the_top_command_and_from_a_subcommand() {
        String expected = System.getProperty("benchmon.project.version"); // the pom's, passed by surefire
        assertThat(expected).as("set by server/pom.xml's surefire configuration").matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(help("--version").strip()).isEqualTo("benchmon " + expected);
        assertThat(help("-V").strip()).isEqualTo("benchmon " + expected);
        assertThat(help("push", "--version").strip()).isEqualTo("benchmon " + expected);
        assertThat(help("alerts", "list", "--version").strip()).isEqualTo("benchmon " + expected);
    }

    @Test
    void alerts_list_neither_documents_nor_accepts_who_triages() {
        assertThat(help("alerts", "list", "--help")).doesNotContain("--as", "Who triages");
        assertThat(help("alerts", "ack", "--help")).contains("--as=NAME", "Who triages");
        CommandLine cl = commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cl.execute("alerts", "list", "--as", "ana", "--server", "http://127.0.0.1:9")).isEqualTo(ExitCodes.INVALID_INPUT);
    }

    @Test
    void the_top_level_help_states_which_token_commands_send() {
        assertThat(help("--help").replaceAll("\\s+", " ")).contains("Tokens sent to a server: --token, else export, "
                + "compare and metrics list read $BENCHMON_TOKEN, then $BENCHMON_READ_TOKEN; push and metrics define "
                + "$BENCHMON_TOKEN, then $BENCHMON_WRITE_TOKEN");
    }

    /** benchmon jshell (the launcher runs jshell itself; the jar runs it as a child): listed with the commands. */
    @Test
    void the_top_level_help_lists_jshell_with_what_it_does() {
        assertThat(help("--help")).contains(" jshell A JShell session with the toolkit loaded and bm open on the database");
    }

    @Test
    void help_jshell_says_what_it_does_and_that_it_runs_the_jdks_jshell() {
        String help = help("help", "jshell");

        assertThat(help).startsWith("Usage: benchmon jshell [--home DIR | --db JDBC_URL] [JSHELL_OPTION...]");
        assertThat(help.replaceAll("\\s+", " ")).contains("Runs the JDK's jshell; JShell's own options, after the "
                + "database option, go to it", "--home=DIR The embedded database in DIR", "--db=JDBC_URL A PostgreSQL database");
    }

    @Test
    void export_help_says_what_its_db_option_defaults_to_and_nothing_about_the_alerts_commands() {
        String help = help("export", "--help");
        assertThat(help).contains("--db=JDBC_URL", "Default: $BENCHMON_DB_URL, else the embedded database in the home folder.")
                .doesNotContainIgnoringCase("alerts");
    }

    @Test
    void push_export_and_compare_each_document_their_timeout_and_its_default() {
        for (String name : new String[]{"push", "export", "compare"}) {
            assertThat(help(name, "--help")).as(name).contains("--timeout=SECONDS")
                    .containsIgnoringCase("how long the server may send nothing, before its answer begins or midway "
                            + "through it (default: " + PushClient.DEFAULT_TIMEOUT_SECONDS);
        }
    }

    @Test
    void no_command_but_alerts_speaks_of_the_alerts_commands_in_its_database_options() {
        for (String name : commandLine().getSubcommands().keySet()) {
            if (name.equals("alerts") || name.equals("help")) {
                continue;
            }
            String help = help(name, "--help");
            assertThat(help).as(name).doesNotContain("alerts commands", "alerts list", "unless --db or --home");
        }
    }

    @Test
    void alerts_help_says_its_commands_go_to_the_server_unless_db_home_a_database_variable_or_the_default_home_says_otherwise() {
        for (String sub : new String[]{"list", "ack", "expect", "resolve", "mute", "unmute", "exclude", "include"}) {
            // picocli wraps a line after a URL's or path's colon or dot (http: //127.0.0.1: 7070, ~/. benchmon)
            String help = help("alerts", sub, "--help").replaceAll("(?<=[:.]) (?=[/0-9]|benchmon)", "");
            assertThat(help).as(sub).contains("(user and password from BENCHMON_DB_USER / BENCHMON_DB_PASSWORD or the URL).",
                            "Without --db or --home the command works on the database $BENCHMON_DB_URL or "
                                    + "$BENCHMON_HOME names when either is set, else goes to the server (--server); with "
                                    + "$BENCHMON_SERVER / $BENCHMON_URL unset too, to http://127.0.0.1:7070 when a server "
                                    + "answers there, else it works on the database in ~/.benchmon when it holds one.",
                            "Given without --db, the command works on that embedded database instead of the server.")
                    .doesNotContain("Default: $BENCHMON_DB_URL");
        }
    }

    /**
     * What {@code benchmon args...} prints on standard output, after checking that it exits 0, with each run of
     * whitespace as one space: picocli wraps descriptions at 80 columns, and the tests look for whole sentences.
     */
    private static String help(String... args) {
        CommandLine cl = commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute(args)).as(String.join(" ", args)).isZero();
        return out.toString().replaceAll("\\s+", " ");
    }

    @Test
    void every_option_the_quick_reference_lists_is_an_option_of_its_command() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "QUICKREF.md"));
        int start = doc.indexOf("```", doc.indexOf("## Commands")) + 3;
        String block = doc.substring(start, doc.indexOf("```", start));
        CommandLine main = commandLine();
        String command = null;
        int checked = 0;
        for (String line : block.split("\n")) {
            java.util.regex.Matcher head = java.util.regex.Pattern.compile("^benchmon (\\S+)").matcher(line);
            if (head.find()) {
                command = head.group(1);
            }
            if (command == null || !main.getSubcommands().containsKey(command)) {
                continue;
            }
            CommandLine named = main.getSubcommands().get(command);
            java.util.regex.Matcher option = java.util.regex.Pattern.compile("(?<![\\w-])--[a-z][a-z-]*").matcher(line);
            while (option.find()) {
                // A line may show one of the command's own commands (alerts list, metrics define): any of them may hold it.
                assertThat(hasOption(named, option.group())).as("benchmon %s %s", command, option.group()).isTrue();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50);
    }

    private static boolean hasOption(CommandLine command, String option) {
        return command.getCommandSpec().findOption(option) != null
                || command.getSubcommands().values().stream().anyMatch(sub -> hasOption(sub, option));
    }

    /** Every command and command group, picocli's own {@code help} command left out. */
    private static List<CommandLine> everyCommand() {
        List<CommandLine> all = new ArrayList<>();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(List.of(commandLine()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            all.add(c);
            c.getSubcommands().values().stream().filter(sub -> !sub.getCommandSpec().name().equals("help")).forEach(todo::add);
        }
        return all;
    }

    /** What {@code benchmon ... --help} prints for {@code command}, as printed. */
    private static String rawHelp(CommandLine command) {
        List<String> args = new ArrayList<>(List.of(command.getCommandSpec().qualifiedName().split(" ")));
        args.remove(0); // "benchmon"
        args.add("--help");
        CommandLine cl = commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute(args.toArray(String[]::new))).as(args.toString()).isZero();
        return out.toString();
    }

    @Test
    void no_help_line_is_wider_than_the_usage_width() {
        for (CommandLine c : everyCommand()) {
            int width = c.getUsageHelpWidth();
            assertThat(rawHelp(c).lines()).as(c.getCommandSpec().qualifiedName())
                    .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(width));
        }
    }

    @Test
    void no_help_says_what_the_command_does_twice() {
        for (CommandLine c : everyCommand()) {
            CommandLine.Model.UsageMessageSpec usage = c.getCommandSpec().usageMessage();
            String name = c.getCommandSpec().qualifiedName();
            // picocli prints a header above "Usage:" and the description below it: one of them says it.
            assertThat(usage.header().length == 0 || usage.description().length == 0).as(name).isTrue();
            String summary = usage.description()[0].replaceAll("\\s+", " ");
            String help = rawHelp(c).replaceAll("\\s+", " ");
            assertThat(help.indexOf(summary)).as(name).isNotNegative().isEqualTo(help.lastIndexOf(summary));
        }
    }

    /**
     * Each text element picocli wraps is a whole paragraph: an element broken mid-sentence starts its rest on a new,
     * short line wherever picocli's wrapping does not fall on the same word.
     */
    @Test
    void every_help_text_is_whole_paragraphs_that_picocli_wraps() {
        for (CommandLine c : everyCommand()) {
            CommandLine.Model.CommandSpec spec = c.getCommandSpec();
            List<String> texts = new ArrayList<>();
            texts.addAll(List.of(spec.usageMessage().description()));
            texts.addAll(List.of(spec.usageMessage().footer()));
            spec.options().forEach(o -> texts.addAll(List.of(o.description())));
            spec.positionalParameters().forEach(p -> texts.addAll(List.of(p.description())));
            assertThat(texts).as(spec.qualifiedName()).allSatisfy(t -> assertThat(t)
                    .doesNotContain("\n").matches("|(?s).*[.:!?)](%n)*"));
        }
    }

    @Test
    void every_command_lists_the_exit_codes_it_can_return() {
        for (CommandLine c : everyCommand()) {
            String help = rawHelp(c);
            String codes = help.substring(help.indexOf("\nExit codes:\n") + 1);
            assertThat(codes).as(c.getCommandSpec().qualifiedName()).startsWith("Exit codes:")
                    .contains("  0   ok.", "  2   invalid input", "  4   any other failure");
        }
        assertThat(help("push", "--help")).contains("1 a regression: a pushed result regressed");
        assertThat(help("export", "--help")).contains("3 the server or database could not be reached")
                .doesNotContain("1 a regression");
        assertThat(help("changepoints", "--help")).doesNotContain("3 the server or database", "request the server refused");
    }

    @Test
    void every_command_list_sums_up_each_command_in_a_whole_sentence() {
        int lists = 0;
        for (CommandLine c : everyCommand()) {
            if (c.getSubcommands().isEmpty()) {
                continue;
            }
            String help = rawHelp(c);
            int start = help.indexOf("Commands:\n");
            int end = help.indexOf("\n\n", start);
            String list = help.substring(start, end < 0 ? help.length() : end);
            // One entry per command: its name, then its summary wrapped onto indented lines.
            for (String entry : list.split("\n(?=  \\S)")) {
                if (entry.startsWith("Commands:")) {
                    continue;
                }
                assertThat(entry.strip()).as(c.getCommandSpec().qualifiedName() + ": " + entry).endsWith(".");
            }
            lists++;
        }
        assertThat(lists).as("benchmon, alerts, kernel, metrics").isEqualTo(4);
    }

    @Test
    void export_help_says_it_writes_csv_or_json_lines() {
        assertThat(help("--help")).contains("export Write results as CSV or JSON Lines:");
    }
}
