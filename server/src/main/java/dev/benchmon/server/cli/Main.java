package dev.benchmon.server.cli;

import dev.benchmon.BenchmonException;
import dev.benchmon.DatabaseException;
import dev.benchmon.ValidationException;
import dev.benchmon.db.InputRefusals;
import dev.benchmon.ingest.ClosestNames;
import dev.benchmon.server.api.errors.ApiException;
import dev.benchmon.server.api.errors.ErrorDetail;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * {@code benchmon}: the command line. Run {@code benchmon --help}, or {@code benchmon COMMAND --help}.
 * Tests and launchers build it with {@link #commandLine(Map, InputStream)} to supply the environment
 * and standard input.
 */
@Command(name = "benchmon", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Track machine-learning benchmark results over time in PostgreSQL.",
        subcommands = {ServeCommand.class, PushCommand.class, ExportCommand.class, ImportCommand.class, AlertsCommand.class,
                CompareCommand.class, KernelCommand.class, JshellCommand.class,
                MetricsCommand.class, BacktestCommand.class, ChangePointsCommand.class,
                HelpCommand.class},
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_HELP, ExitCodes.REGRESSION_HELP, ExitCodes.INVALID_INPUT_HELP,
                ExitCodes.UNREACHABLE_HELP, ExitCodes.FAILURE_HELP},
        footer = {"", "Start with: benchmon serve --demo   (then open the URL it prints)", "", ClientTokens.RULE})
public final class Main implements Runnable {
    private final Map<String, String> env;
    private final InputStream stdin;

    @Spec
    CommandSpec spec;

    Main(Map<String, String> env, InputStream stdin) {
        this.env = Map.copyOf(env);
        this.stdin = stdin;
    }

    /** The PostgreSQL driver's java.util.logging logger; held, as JUL keeps loggers weakly and would forget its level. */
    private static final java.util.logging.Logger DRIVER_LOG = java.util.logging.Logger.getLogger("org.postgresql");

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        if (args.length == 0 || !args[0].equals("serve")) { // a server's operator keeps the driver's warnings in its log
            quietDriver(System.getenv());
        }
        System.exit(commandLine(System.getenv(), System.in).execute(args));
    }

    /**
     * Keeps the driver's warnings off stderr: pgjdbc warns through java.util.logging about what benchmon then refuses
     * with an error of its own ("org.postgresql.util.PGPropertyUtil convertPgPortToInt WARNING: JDBC URL invalid port
     * number" before "--db ... is malformed"), in two lines of a logging format a user of the command never asked for.
     * Its severe records still show; with {@code BENCHMON_DEBUG} set, everything does.
     */
    static void quietDriver(Map<String, String> env) {
        if (!env.containsKey("BENCHMON_DEBUG")) {
            DRIVER_LOG.setLevel(java.util.logging.Level.SEVERE);
        }
    }

    /** The configured command line, reading {@code env} instead of the process environment. */
    public static CommandLine commandLine(Map<String, String> env, InputStream stdin) {
        CommandLine cl = new CommandLine(new Main(env, stdin));
        // Every command lists -V/--version (mixinStandardHelpOptions), but only this one names a provider: without
        // one, `benchmon push --version` printed nothing and exited 0.
        // A command group's exit codes (alerts, metrics, kernel) hold for its commands: stated once, on the group.
        complete(cl, new Version(), "", Map.of());
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> report(ex, line.getErr(), env,
                WRITES.contains(line.getCommandSpec().qualifiedName()), line.getParseResult().hasMatchedOption("--home")));
        // Set on the root before any command runs, so it holds for every command: a refusal of what was typed is one
        // line saying what is wrong and where the help is; picocli's own added the whole usage text after it.
        cl.setParameterExceptionHandler((ex, args) -> {
            String refusal = notANumber(ex);
            CommandLine at = ex.getCommandLine();
            if (refusal == null && at.getCommand() instanceof CommandGroup && ex instanceof CommandLine.UnmatchedArgumentException u
                    && !u.getUnmatched().isEmpty() && u.getUnmatched().get(0).startsWith("-")) {
                // `alerts --server URL`: the option is its commands', and the missing command is the mistake to say.
                refusal = needsACommand(at.getCommandSpec()).getMessage() + "; give the command before its options ("
                        + at.getCommandSpec().qualifiedName() + " " + at.getSubcommands().keySet().iterator().next() + " "
                        + u.getUnmatched().get(0) + " ...); see " + at.getCommandSpec().qualifiedName() + " --help";
            }
            if (refusal == null && ex instanceof CommandLine.UnmatchedArgumentException u) {
                refusal = optionsAfterEndOfOptions(u.getUnmatched(), args, at.getCommandSpec());
            }
            String command = at.getCommandSpec().qualifiedName();
            at.getErr().println("error: " + (refusal != null ? refusal : withoutPrefix(ex.getMessage()) + suggestion(ex)
                    + "; see " + command + " --help"));
            at.getErr().flush();
            return ExitCodes.INVALID_INPUT;
        });
        return cl;
    }

    /**
     * The refusal of options typed after {@code --}, where every argument is read as a name, not an option: {@code
     * metrics define --direction lower_is_better -- -log_loss --unit ms} (a command benchmon suggests, with an option
     * added at the end) said {@code Unmatched arguments from index 5: '--unit', 'ms'}. Names the first such option and
     * says to give it before {@code --}; {@code null} when no unmatched argument after a {@code --} of {@code args} is
     * one of the command's options ({@code -- -a -b}: an extra name, refused as picocli words it).
     */
    static String optionsAfterEndOfOptions(List<String> unmatched, String[] args, CommandLine.Model.CommandSpec spec) {
        String command = spec.qualifiedName();
        List<String> typed = java.util.Arrays.asList(args);
        int end = typed.indexOf("--");
        if (end < 0) {
            return null;
        }
        List<String> after = typed.subList(end + 1, typed.size());
        for (String u : unmatched) {
            if (u.startsWith("-") && after.contains(u) && spec.findOption(u.split("=", 2)[0]) != null) {
                return u + " comes after --, where every argument is read as a name, not an option: give the options "
                        + "before -- and the names after it; see " + command + " --help";
            }
        }
        return null;
    }

    /**
     * What a command group (alerts, metrics, kernel) throws when it is named without one of its commands: a usage error
     * (exit 2, one line pointing to its help), not its help.
     */
    static CommandLine.ParameterException needsACommand(CommandLine.Model.CommandSpec group) {
        return new CommandLine.ParameterException(group.commandLine(), group.qualifiedName() + " needs a command"
                + commandsOf(group.commandLine()));
    }

    /** ": one of a, b, c" naming {@code group}'s commands (without help), or "" when it has none. */
    static String commandsOf(CommandLine group) {
        List<String> names = group.getSubcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
        return names.isEmpty() ? "" : ": one of " + String.join(", ", names);
    }

    /**
     * Picocli's message without the "Error: " some of its refusals start with (those of an option group: {@code Error:
     * --user, --prefix=DIR are mutually exclusive (specify only one)}), which read "error: Error: ..." after ours.
     */
    static String withoutPrefix(String message) {
        return message == null ? "" : message.replaceFirst("^(?i:error): *", "");
    }

    /**
     * " (did you mean X?)" for a mistyped option or command picocli has a close match for, a mistyped command it has
     * none for ({@code alerts lsit}), or a mistyped value of a fixed set ({@code export histroy}); else "".
     */
    private static String suggestion(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            return " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            return ClosestNames.didYouMean(u.getUnmatched().get(0), ex.getCommandLine().getSubcommands().keySet());
        }
        CommandLine.Model.ArgSpec arg = ex.getArgSpec();
        if (arg != null && ex.getValue() != null && arg.type().isEnum()) {
            return ClosestNames.didYouMean(ex.getValue(), java.util.Arrays.stream(arg.type().getEnumConstants())
                    .map(Object::toString).toList());
        }
        return "";
    }

    /**
     * A numeric argument's refusal in one line, as {@code alerts exclude RUN} words its own: {@code invalid ALERT_ID
     * 'abc': give a whole number, the alert's id (benchmon alerts list)}, naming what was typed (an option's name, a
     * parameter's label) and saying what to give (the argument's description). Picocli's own ({@code 'abc' is not a
     * long}, then the whole usage text) names a Java type and buries the line that matters. {@code null} for any
     * other refusal (a missing or unknown option), which picocli's message says in the one line.
     */
    static String notANumber(CommandLine.ParameterException ex) {
        CommandLine.Model.ArgSpec arg = ex.getArgSpec();
        if (!(ex.getCause() instanceof CommandLine.TypeConversionException) || arg == null || ex.getValue() == null) {
            return null;
        }
        Class<?> type = arg.type();
        String kind;
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            kind = "a whole number";
        } else if (type == double.class || type == Double.class) {
            kind = "a number";
        } else {
            return null;
        }
        String name = arg instanceof CommandLine.Model.OptionSpec o ? o.longestName() : arg.paramLabel();
        String[] description = arg.description();
        String what = description.length == 0 ? "" : description[0].strip().replaceFirst("\\.$", "");
        what = what.isEmpty() ? "" : ", " + Character.toLowerCase(what.charAt(0)) + what.substring(1);
        return "invalid " + name + " '" + dev.benchmon.ingest.TextRules.visible(ex.getValue()) + "': give " + kind + what;
    }

    private static void complete(CommandLine command, CommandLine.IVersionProvider version, String heading,
                                 Map<String, String> exitCodes) {
        CommandSpec spec = command.getCommandSpec();
        spec.versionProvider(version);
        if (spec.usageMessage().exitCodeList().isEmpty() && !"help".equals(spec.name())) {
            spec.usageMessage().exitCodeListHeading(heading).exitCodeList(exitCodes);
        }
        command.getSubcommands().values().forEach(sub -> complete(sub, version,
                spec.usageMessage().exitCodeListHeading(), spec.usageMessage().exitCodeList()));
    }

    /** The environment variables the commands read. */
    Map<String, String> env() {
        return env;
    }

    /** Standard input (for {@code push -}). */
    InputStream stdin() {
        return stdin;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The commands that store something. Only their refusals say "nothing was stored": on a read (compare, export,
     * changepoints, ...) it is meaningless, and reads as if the command had tried to write.
     */
    private static final Set<String> WRITES = Set.of("benchmon serve", "benchmon push", "benchmon import",
            "benchmon alerts ack", "benchmon alerts expect", "benchmon alerts resolve", "benchmon alerts mute", "benchmon alerts unmute",
            "benchmon alerts exclude", "benchmon metrics define", "benchmon metrics recompute");

    /**
     * @param homeOption whether the user gave {@code --home}: the toolkit's advice about the home folder names
     *                   {@code BENCHMON_HOME}, which the command line set from the option ({@link DatabaseOptions#asGiven})
     */
    private static int report(Exception ex, PrintWriter err, Map<String, String> env, boolean writes, boolean homeOption) {
        if (homeOption && ex instanceof BenchmonException b && DatabaseOptions.asGiven(b.getMessage()) != null) {
            ex = new CliException(ExitCodes.INVALID_INPUT, DatabaseOptions.asGiven(b.getMessage()), ex);
        }
        int code;
        if (ex instanceof CliException c) {
            err.println("error: " + c.getMessage());
            code = c.exitCode();
        } else if (ex instanceof ValidationException v) {
            err.println(writes ? "error: invalid input (nothing was stored):" : "error: invalid input:");
            v.problems().forEach(p -> err.println("  " + p));
            code = ExitCodes.INVALID_INPUT;
        } else if (ex instanceof ApiException a) {
            err.println("error: " + a.getMessage());
            // One problem the summary already says ("invalid option '--model': has whitespace ..."): not twice.
            for (ErrorDetail d : a.problemInMessage() ? List.<ErrorDetail>of() : a.problems()) {
                err.println("  " + (d.field() == null ? "" : d.field() + ": ") + d.message());
            }
            code = ExitCodes.INVALID_INPUT;
        } else if (ex instanceof DatabaseException d && InputRefusals.of(d).isPresent()) {
            // The input's fault, not the database's: the same command fails the same way until the input changes.
            err.println("error: " + InputRefusals.of(d).get().text()
                    + (writes ? " (the database refused the write; nothing of it was stored)" : ""));
            code = ExitCodes.INVALID_INPUT;
        } else if ("42501".equals(DatabaseException.sqlStateOf(ex))) {
            // A login without a grant the command needs (set up by hand, or granted for an older schema): no bug to
            // report and no retry helps, and the statement in the message means nothing to the user.
            String user = env.getOrDefault("BENCHMON_DB_USER", "").trim();
            err.println("error: " + (user.isEmpty() ? "the database login (the user of the database URL)" : "the database login " + user)
                    + " lacks a privilege: " + deniedWhat(ex));
            err.println("  (the schema owner grants it: see docs/SETUP.md, \"Least privilege: two logins\")");
            code = ExitCodes.FAILURE;
        } else if (ex instanceof DatabaseException d && DatabaseOptions.refusedConnection(d)) {
            err.println("error: " + d.getMessage()); // the toolkit's message says what to fix
            code = ExitCodes.INVALID_INPUT;
        } else if (ex instanceof DatabaseException d) {
            err.println("error: " + d.getMessage());
            code = ExitCodes.UNREACHABLE;
        } else if (ex instanceof BenchmonException b) {
            err.println("error: " + b.getMessage());
            code = ExitCodes.INVALID_INPUT;
        } else {
            err.println("error: unexpected failure: " + ex);
            if (env.containsKey("BENCHMON_DEBUG")) {
                ex.printStackTrace(err);
            } else {
                err.println("  (set BENCHMON_DEBUG=1 for the stack trace, and please report it)");
            }
            code = ExitCodes.FAILURE;
        }
        err.flush();
        return code;
    }

    /** The database's own words for a refusal ("permission denied for table t"), without the statement. */
    private static String deniedWhat(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException s && "42501".equals(s.getSQLState()) && s.getMessage() != null) {
                return s.getMessage().lines().findFirst().orElse("").replaceFirst("^ERROR: ", "");
            }
        }
        return "permission denied";
    }

    /**
     * The project's version, from {@code version.properties} (Maven fills it in from the pom when it builds), as
     * {@code benchmon 0.1.0-SNAPSHOT}; {@code (development build)} when classes were compiled without Maven.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"benchmon " + version()};
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                return "(development build)";
            }
            String v = p.getProperty("version", "");
            return v.isBlank() || v.contains("${") ? "(development build)" : v; // ${ : copied unfiltered (an IDE build)
        }
    }
}
