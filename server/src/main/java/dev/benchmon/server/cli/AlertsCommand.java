package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.ingest.ClosestNames;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.alert.AlertEndpoints;
import dev.benchmon.server.api.errors.InvalidRequestException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code benchmon alerts}: list, show and triage alerts on a server (list, show, ack, expect, resolve, reopen, mute, unmute, exclude,
 * include), or with
 * {@code --db} / {@code --home} in a database directly, as {@code push --db} writes and the toolkit triages. Without
 * {@code --server}, every subcommand works on the database {@code $BENCHMON_DB_URL} or {@code $BENCHMON_HOME} names
 * when either is set, as export and compare read it; with no variable set at all, on the server at
 * http://127.0.0.1:7070 when one answers there, else on the default home folder ({@code ~/.benchmon}) when it holds a
 * database, saying on stderr which it chose ({@link Connection}).
 * Triage on a server needs the triage or write token, listing the read token when the server has one; which token is
 * sent follows {@link ClientTokens}.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = {"List and triage regression alerts on a benchmon server, or in a database (--db / --home).",
                "With --db or --home the database login's rights apply instead of the server's tokens.",
                "Without --server, they work on the database $BENCHMON_DB_URL or $BENCHMON_HOME names when either is set "
                        + "(as compare and export do; with $BENCHMON_SERVER or $BENCHMON_URL set too, triage is refused "
                        + "until --server or --home/--db says which); with neither set they go to $BENCHMON_SERVER, else "
                        + "$BENCHMON_URL; with none of the four set, to the server at http://127.0.0.1:7070 when one "
                        + "answers there, else to the database in ~/.benchmon when it holds one (as compare and export "
                        + "read it), and say on stderr (note:) which.",
                "States: open, acknowledged, expected (the new level becomes the baseline), resolved, muted."},
        subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Show.class, AlertsCommand.Ack.class, AlertsCommand.Expect.class,
                AlertsCommand.Resolve.class, AlertsCommand.Reopen.class, AlertsCommand.Mute.class, AlertsCommand.Unmute.class,
                AlertsCommand.Exclude.class, AlertsCommand.Include.class},
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_HELP, ExitCodes.INVALID_INPUT_HELP,
                ExitCodes.UNREACHABLE_HELP, ExitCodes.FAILURE_HELP},
        footer = {"", "A change that may have reached a failing server is not sent again: check (alerts list) before repeating it."})
final class AlertsCommand extends CommandGroup {
    /**
     * --server, --token, --db, --home: shared by every subcommand. Where a command goes, in this order: --server; else
     * --db / --home; else the database the environment names ($BENCHMON_DB_URL, else $BENCHMON_HOME's embedded
     * database), as compare and export read it; else the server $BENCHMON_SERVER / $BENCHMON_URL names; else, with no
     * variable set, http://127.0.0.1:7070 when something answers there (a quick connect: the server a user runs with
     * {@code benchmon serve}, whichever database it serves); else the default home folder's database when it holds one
     * (as compare and export read it); else http://127.0.0.1:7070 all the same, whose failure says how to name a
     * database or server. A choice made by default is said on stderr ({@code note: ...}): a triage that lands in
     * another database than the user meant (an old ~/.benchmon beside a server on another home) is not silent. A home
     * set by name never sends a triage to whatever server listens on this machine's port 7070.
     */
    static final class Connection {
        @Option(names = "--server", paramLabel = "URL",
                description = {"Server (default, when neither $BENCHMON_DB_URL nor $BENCHMON_HOME is set: $BENCHMON_SERVER, "
                        + "else $BENCHMON_URL; with none of them set, http://127.0.0.1:7070 when a server answers there, "
                        + "else the database in ~/.benchmon when it holds one; with either database variable set and no "
                        + "--server, the command "
                        + "works on that database, as compare and export do)."})
        String server;

        @Option(names = "--token", paramLabel = "T",
                description = "Token (list: " + ClientTokens.ALERTS_READ_DEFAULT + "; triage: " + ClientTokens.TRIAGE_DEFAULT
                        + "). Refused without a server (--db / --home / $BENCHMON_DB_URL / $BENCHMON_HOME / ~/.benchmon), where no token applies.")
        String token;

        // Not the DatabaseOptions mixin: its default ($BENCHMON_DB_URL, else the embedded database) is not alerts'.
        @Option(names = "--db", paramLabel = "JDBC_URL", description = {DatabaseOptions.DB_HELP,
                "Without --db or --home the command works on the database $BENCHMON_DB_URL or $BENCHMON_HOME names "
                        + "when either is set, else goes to the server (--server); with $BENCHMON_SERVER / $BENCHMON_URL "
                        + "unset too, to http://127.0.0.1:7070 when a server answers there, else it works on the "
                        + "database in ~/.benchmon when it holds one."})
        String db;

        @Option(names = "--home", paramLabel = "DIR", description = {DatabaseOptions.HOME_HELP,
                "Given without --db, the command works on that embedded database instead of the server."})
        Path home;

        /**
         * The server, or the database --db / --home or the environment names (never both). A refusal names the
         * options: {@code options} maps a request field to the subcommand's option that sets it, on top of those every
         * subcommand shares.
         *
         * @param command the subcommand as typed ({@code alerts ack}), for a refusal
         */
        AlertService open(Map<String, String> env, PrintWriter err, Map<String, String> options, String command) {
            return open(env, err, options, command, "triage", ClientTokens.Role.TRIAGE,
                    "Check whether it was stored (benchmon alerts list, the run's page) before repeating the change.");
        }

        /** {@link #open} for a listing, which only reads: a failure says that running it again is safe. */
        AlertService openForReading(Map<String, String> env, PrintWriter err, Map<String, String> options) {
            return open(env, err, options, "alerts list", "list alerts", ClientTokens.Role.ALERTS_READ,
                    "Listing alerts changes nothing, so running it again is safe.");
        }

        /**
         * {@link #openForReading} for read-only subcommand {@code command} ({@code alerts show}), which {@code onServer}
         * words as done on a server ({@code show alerts}).
         */
        AlertService openForReading(Map<String, String> env, PrintWriter err, Map<String, String> options, String command,
                                    String onServer) {
            return open(env, err, options, command, onServer, ClientTokens.Role.ALERTS_READ,
                    "Reading an alert changes nothing, so running it again is safe.");
        }

        private AlertService open(Map<String, String> env, PrintWriter err, Map<String, String> options, String command,
                                  String onServer, ClientTokens.Role role, String againNote) {
            DatabaseOptions database = DatabaseOptions.of(db, home);
            Map<String, String> all = new java.util.HashMap<>(Map.of("actor", "--as"));
            all.putAll(options);
            OptionNames names = new OptionNames(all);
            String variable = server == null && !database.given() ? databaseVariable(env) : null;
            boolean inDefaultHome = false;
            String fallback = null; // nothing names where: the default home when it holds a database, else the server
            if (server == null && !database.given() && variable == null && ServerOptions.serverVariable(env) == null) {
                Path folder = Benchmon.home(env).toAbsolutePath();
                if (answers(ServerOptions.DEFAULT_SERVER)) {
                    err.println("note: " + command + " works on the server at " + ServerOptions.DEFAULT_SERVER + " (it "
                            + "answers there; nothing names another): give --home DIR or --db URL for a database");
                    err.flush();
                } else if (dev.benchmon.db.EmbeddedHome.holdsDatabase(folder)) {
                    variable = folder.toString();
                    inDefaultHome = true;
                    err.println("note: no server answers at " + ServerOptions.DEFAULT_SERVER + "; working on the "
                            + "database in " + folder);
                    err.flush();
                } else {
                    fallback = " Nothing answers at " + ServerOptions.DEFAULT_SERVER + ", and the default home folder "
                            + folder + " holds no benchmon database: start the server (benchmon serve), or say where the "
                            + "alerts are: --home DIR or --db URL for a database, --server URL for another server.";
                }
            }
            if (!database.given() && variable == null) {
                return new AlertService.Server(client(env, err, role, againNote)
                        .whenNothingAnswers(fallback == null ? "" : fallback).naming(names));
            }
            database.refuseWithServer(server);
            if (database.given()) {
                DatabaseOptions.refuseServerOption(DatabaseOptions.ServerOption.TOKEN, token != null,
                        "--db / --home works on the database directly",
                        "drop --token, or " + onServer + " on a server with --server URL instead of --db / --home");
            } else {
                DatabaseOptions.refuseServerOption(DatabaseOptions.ServerOption.TOKEN, token != null,
                        "without --server " + command + " works on the database " + (inDefaultHome
                                ? "in the default home folder " + variable : variable + " names"),
                        "give the server with --server URL, or drop --token");
                String serverVariable = ServerOptions.serverVariable(env);
                if (serverVariable != null && role == ClientTokens.Role.TRIAGE) {
                    // Both named, and this writes: triage meant for the team's server must not land in a local home
                    // that nobody else reads (nor the other way round), so the user says which.
                    throw new CliException(ExitCodes.INVALID_INPUT, command + ": both the database " + variable
                            + " and the server $BENCHMON_SERVER / $BENCHMON_URL (" + serverVariable + ") are set, and "
                            + "triage changes alerts in one of them: give --server URL for the server, or --home DIR / "
                            + "--db URL for the database");
                }
                if (serverVariable != null) { // both named, for a read: say which one applies, and how to choose the other
                    err.println("note: " + command + " works on the database " + variable + " names, not on the server "
                            + "$BENCHMON_SERVER / $BENCHMON_URL names (" + serverVariable + "): give --server URL for the server");
                    err.flush();
                }
            }
            // Neither a read nor a triage (which acts on alerts that exist) may install benchmon's schema in a database
            // that has none (the wrong URL) or create one in a home that holds none (a mistyped --home or BENCHMON_HOME,
            // which the refusal names).
            Benchmon benchmon = database.openForReading(env);
            return new AlertService.Database(benchmon, env, names);
        }

        /**
         * Whether something accepts a connection at {@code url}'s host and port within half a second: the default
         * server is chosen only when it is there, and a refused or silent port costs no retries.
         */
        static boolean answers(String url) {
            java.net.URI uri = java.net.URI.create(url);
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 500);
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        }

        /**
         * {@code $BENCHMON_DB_URL} or {@code $BENCHMON_HOME}, whichever names the database the toolkit opens (the URL
         * first, as {@code Benchmon.open} reads them), or null when neither is set (blank counts as unset).
         */
        static String databaseVariable(Map<String, String> env) {
            return ServerOptions.firstSet(env, "BENCHMON_DB_URL") != null ? "$BENCHMON_DB_URL"
                    : ServerOptions.firstSet(env, "BENCHMON_HOME") != null ? "$BENCHMON_HOME (" + env.get("BENCHMON_HOME") + ")" : null;
        }

        private PushClient client(Map<String, String> env, PrintWriter err, ClientTokens.Role role, String againNote) {
            String url = ServerOptions.serverUrl(server, env);
            return new PushClient(PushCommand.baseUri(url), ClientTokens.of(token, env, role), 3, Duration.ofMillis(300), err, againNote);
        }

    }

    /** --as: who triages. Not on list, where nobody triages. */
    static final class Actor {
        /** Who is recorded when --as, every variable the help names and the OS user name are unset. */
        static final String FALLBACK = "cli";

        @Option(names = "--as", paramLabel = "NAME", description = "Who triages, kept in the alert's history (default: "
                + "$BENCHMON_ACTOR, else $GITHUB_ACTOR, else $USER, else the OS user name, else '" + FALLBACK + "').")
        String actor;

        String name(Map<String, String> env) {
            return name(env, System.getProperty("user.name"));
        }

        /**
         * The name recorded, with {@code osUser} the account's name (Java's {@code user.name}): a shell without
         * {@code $USER} (sudo, cron, a container's exec) still records the person's login rather than {@code cli}.
         * The JDK gives {@code ?} for an account without a name (a uid without a passwd entry, as in containers).
         */
        String name(Map<String, String> env, String osUser) {
            if (actor != null && !actor.isBlank()) {
                return actor;
            }
            String a = ServerOptions.firstSet(env, "BENCHMON_ACTOR", "GITHUB_ACTOR", "USER");
            if (a != null) {
                return a;
            }
            return osUser == null || osUser.isBlank() || osUser.equals("?") ? FALLBACK : osUser;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List alerts by state: open, acknowledged, muted, expected, then resolved; newest first within a state.")
    static final class ListAlerts implements Callable<Integer> {
        @ParentCommand AlertsCommand parent;
        @Spec CommandSpec spec;
        @Mixin Connection connection;

        @Option(names = "--state", paramLabel = "S", split = ",",
                description = "Only these states: open, acknowledged, expected, resolved, muted, or all (repeatable or "
                        + "comma-separated; default: all).")
        List<String> states = new ArrayList<>();

        @Option(names = "--series-id", paramLabel = "N", description = "Only this series (its id, as in /series/N).")
        Integer seriesId;

        @Option(names = "--metric", paramLabel = "M", description = "Only this metric.")
        String metric;

        // The series' names, as export spells and reads them (the API's model, dataset, prompt, environment)
        @Option(names = "--model", paramLabel = "M", description = "Only alerts of these model versions (repeatable; a "
                + "value is split at commas unless it is a stored name; likewise --dataset, --prompt, --environment).")
        List<String> models = new ArrayList<>();

        @Option(names = "--dataset", paramLabel = "D", description = "Only alerts of these dataset versions.")
        List<String> datasets = new ArrayList<>();

        @Option(names = "--prompt", paramLabel = "P", description = "Only alerts of these prompt versions.")
        List<String> prompts = new ArrayList<>();

        @Option(names = "--environment", paramLabel = "E", description = "Only alerts of these environments.")
        List<String> environments = new ArrayList<>();

        /** The API's most alerts in one answer. */
        private static final int MAX_LIMIT = 10_000;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N alerts (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print the server's JSON answer.")
        boolean json;

        /**
         * Refuses a --state no alert can be in as the server would, adding the state meant when one is close
         * ({@code opne}: open), which the server's refusal does not name.
         */
        private void checkStates() {
            List<String> known = new ArrayList<>(java.util.Arrays.stream(dev.benchmon.alert.AlertState.values())
                    .map(dev.benchmon.alert.AlertState::sqlName).toList());
            known.add(AlertEndpoints.ALL_STATES);
            for (String s : states) {
                if (s.isBlank() || s.trim().equalsIgnoreCase(AlertEndpoints.ALL_STATES)) {
                    continue; // a blank entry ("open, ") is dropped, as the server drops it
                }
                try {
                    AlertEndpoints.listedState("--state", s);
                } catch (InvalidRequestException e) {
                    throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage() + ClosestNames.didYouMean(s.trim(), known));
                }
            }
        }

        @Override
        public Integer call() {
            checkStates();
            Map<String, List<String>> q = new LinkedHashMap<>();
            // One alert more than shown tells the table whether more match (the answer has no total count).
            boolean peek = !json && limit >= 1 && limit < MAX_LIMIT;
            q.put("limit", List.of(String.valueOf(peek ? limit + 1 : limit)));
            // "open, " (split at the comma) names open: its blank entry is dropped, as the server drops one within a
            // value; a --state of spaces alone goes as it is, for the server's "names nothing".
            List<String> named = states.stream().filter(s -> !s.isBlank()).toList();
            if (!states.isEmpty()) q.put("state", named.isEmpty() ? states : named);
            if (seriesId != null) q.put("series_id", List.of(String.valueOf(seriesId)));
            if (metric != null) q.put("metric", List.of(metric));
            if (!models.isEmpty()) q.put("model", models);
            if (!datasets.isEmpty()) q.put("dataset", datasets);
            if (!prompts.isEmpty()) q.put("prompt", prompts);
            if (!environments.isEmpty()) q.put("environment", environments);
            PrintWriter out = spec.commandLine().getOut();
            JsonNode answer;
            try (AlertService alerts = connection.openForReading(parent.main.env(), spec.commandLine().getErr(), Map.of(
                    "limit", "--limit", "state", "--state", "series_id", "--series-id", "metric", "--metric",
                    "model", "--model", "dataset", "--dataset", "prompt", "--prompt", "environment", "--environment"))) {
                answer = alerts.list(q);
            }
            if (json) {
                out.println(answer.toString());
            } else {
                JsonNode rows = answer.path("alerts");
                boolean more = peek && rows.size() > limit;
                if (more) {
                    com.fasterxml.jackson.databind.node.ArrayNode shown = ResultJson.mapper().createArrayNode();
                    for (int i = 0; i < limit; i++) {
                        shown.add(rows.get(i));
                    }
                    rows = shown;
                }
                out.print(table(rows));
                if (more) {
                    out.println("(the first " + limit + " shown; more match: raise --limit, or narrow with --state, "
                            + "--series-id, --metric, --model, --dataset, --prompt or --environment)");
                }
            }
            out.flush();
            return ExitCodes.OK;
        }

        /** The change at the opening, and the change now when it moved: {@code -20.5% (now -31.8%)}. */
        static String change(JsonNode a) {
            String now = str(a, "now_change");
            return now.isEmpty() || now.equals(str(a, "change")) ? str(a, "change") : str(a, "change") + " (now " + now + ")";
        }

        /**
         * The alerts as a terminal table: each column as wide as its longest cell, commit SHAs cut as every range
         * shown for reading is ({@link dev.benchmon.detect.CommitRange#shortRef}: their first 12; {@code --json} keeps
         * them whole). The last column is the
         * change point behind the alert as the alert page words it ({@code confirmed by a change point at c39..c40
         * (confidence 1.000)}), empty when there is none.
         */
        static String table(JsonNode alerts) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "STATE", "SERIES", "METRIC", "CHANGE", "COMMITS", "CHANGE POINT"});
            for (JsonNode a : alerts) {
                // the change point in the page's words (the API's change_point.text, Alert#changePointText): where to
                // bisect when the detector placed it elsewhere than the alert's own commits
                rows.add(new String[] {str(a, "id"), str(a, "state"), str(a, "series"), str(a, "metric"), change(a),
                        dev.benchmon.detect.CommitRange.shortened(str(a, "commit_range")),
                        dev.benchmon.detect.CommitRange.shortenedIn(str(a.path("change_point"), "text"))});
            }
            StringBuilder sb = new StringBuilder(ColumnText.of(rows, ""));
            if (alerts.isEmpty()) {
                sb.append("(no alerts)\n");
            }
            return sb.toString();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One alert: what it found, where to look, and its whole history (who moved it, when, why).")
    static final class Show implements Callable<Integer> {
        @ParentCommand AlertsCommand parent;
        @Spec CommandSpec spec;
        @Mixin Connection connection;

        @Parameters(index = "0", paramLabel = "ALERT_ID", description = "The alert's id (benchmon alerts list).")
        long id;

        @Option(names = "--json", description = "Print the server's JSON answer (GET /api/v1/alerts/ID).")
        boolean json;

        @Override
        public Integer call() {
            JsonNode answer;
            try (AlertService alerts = connection.openForReading(parent.main.env(), spec.commandLine().getErr(), Map.of(),
                    "alerts show", "show alerts")) {
                answer = alerts.get(id);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? answer.toString() + "\n" : shown(answer));
            out.flush();
            return ExitCodes.OK;
        }

        /**
         * The baseline, the value of the newest run the alert followed ({@code current}: the opening's run until a later
         * run still showed the change), and the value now when it differs, with the metric's unit:
         * {@code 307 ms -> 318 ms (now 319 ms)}, as push words them ({@link PushSummary#num}); empty without a baseline.
         */
        static String values(JsonNode a) {
            if (!a.path("baseline").isNumber() || !a.path("current").isNumber()) {
                return "";
            }
            String unit = a.path("unit").isTextual() ? a.path("unit").asText() : null;
            double current = a.path("current").asDouble();
            String text = PushSummary.num(a.path("baseline").asDouble(), unit) + " -> " + PushSummary.num(current, unit);
            JsonNode now = a.path("now_value");
            return now.isNumber() && Double.compare(now.asDouble(), current) != 0
                    ? text + " (now " + PushSummary.num(now.asDouble(), unit) + ")" : text;
        }

        /**
         * The alert as lines of {@code label  value} (each field the answer has; the change now beside the opening's,
         * when it moved), then its history oldest first, one event a line: {@code 2026-01-01T04:00:00Z  acknowledged
         * by ana (cli): bisecting}.
         */
        static String shown(JsonNode answer) {
            JsonNode a = answer.path("alert");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"state", str(a, "state")});
            rows.add(new String[] {"series", str(a, "series") + (str(a, "series_id").isEmpty() ? ""
                    : " (series id " + str(a, "series_id") + ")")});
            rows.add(new String[] {"metric", str(a, "metric")});
            rows.add(new String[] {"change", ListAlerts.change(a) + (str(a, "severity").isEmpty() ? ""
                    : ", " + str(a, "severity") + " at the opening")});
            rows.add(new String[] {"values", values(a)});
            rows.add(new String[] {"verdict", str(a, "verdict")});
            rows.add(new String[] {"commits", dev.benchmon.detect.CommitRange.shortened(str(a, "commit_range"))
                    + (str(a, "compare_url").isEmpty() ? "" : "  " + str(a, "compare_url"))});
            rows.add(new String[] {"change point",
                    dev.benchmon.detect.CommitRange.shortenedIn(str(a.path("change_point"), "text"))});
            rows.add(new String[] {"run", str(a, "transaction_id") + (str(a, "run_id").isEmpty() ? ""
                    : " (CI run " + str(a, "run_id") + ")") + (str(a, "run_url").isEmpty() ? "" : "  " + str(a, "run_url"))});
            rows.add(new String[] {"opened", str(a, "opened_at")});
            rows.add(new String[] {"page", str(a, "url")});
            StringBuilder sb = new StringBuilder("alert " + str(a, "id") + "\n");
            int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
            for (String[] r : rows) {
                if (!r[1].isBlank()) {
                    sb.append("  ").append(String.format("%-" + width + "s  ", r[0])).append(r[1].strip()).append('\n');
                }
            }
            sb.append("history:\n");
            for (JsonNode e : answer.path("history")) {
                sb.append("  ").append(str(e, "at")).append("  ").append(str(e, "state")).append(" by ")
                        .append(str(e, "actor")).append(" (").append(str(e, "source")).append(')')
                        // a comment's own lines indented under its event, so that each event starts a line (their
                        // own indent kept after it: a comment may quote code or a list)
                        .append(str(e, "comment").isEmpty() ? "" : ": " + str(e, "comment").strip()
                                .replaceAll("\\R", "\n      ")).append('\n');
            }
            return sb.toString();
        }
    }

    /** ack / expect / resolve: one state change with a comment. */
    abstract static class StateChange implements Callable<Integer> {
        @ParentCommand AlertsCommand parent;
        @Spec CommandSpec spec;
        @Mixin Connection connection;
        @Mixin Actor actor;

        @Parameters(index = "0", paramLabel = "ALERT_ID", description = "The alert's id (benchmon alerts list).")
        long id;

        @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "Why; kept in the alert's history.")
        String comment;

        abstract String state();

        @Override
        public Integer call() {
            Map<String, String> env = parent.main.env();
            ObjectNode body = ResultJson.mapper().createObjectNode().put("state", state()).put("comment", comment)
                    .put("actor", actor.name(env)).put("source", "cli");
            JsonNode answer;
            try (AlertService alerts = connection.open(env, spec.commandLine().getErr(), Map.of("comment", "--comment"), command(spec))) {
                answer = alerts.setState(id, body);
            }
            JsonNode a = answer.path("alert");
            if (answer.path("changed").asBoolean(true)) {
                PrintWriter out = spec.commandLine().getOut();
                out.println(changed(id, answer, body));
                printMutesEnded(answer, out); // taken out of its mute, as on unmute
            } else { // in that state already: nothing stored, say since when and by whom
                JsonNode e = answer.path("event");
                spec.commandLine().getOut().println("alert " + id + " is already " + str(a, "state") + " (since "
                        + str(e, "at") + " by " + str(e, "actor") + (str(e, "comment").isEmpty() ? "" : ": "
                        + oneLine(str(e, "comment"))) + "); nothing changed");
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledge an alert: someone is on it.")
    static final class Ack extends StateChange {
        String state() { return "acknowledged"; }
    }

    @Command(name = "expect", mixinStandardHelpOptions = true,
            description = "Mark an alert expected: an intended change; its run becomes the start of the baseline.")
    static final class Expect extends StateChange {
        String state() { return "expected"; }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true, description = "Resolve an alert by hand.")
    static final class Resolve extends StateChange {
        String state() { return "resolved"; }
    }

    @Command(name = "reopen", mixinStandardHelpOptions = true,
            description = {"Open an alert again (state open, from any other state): its change is back, or was set "
                    + "aside too soon. The way back for a resolved alert, which is not acknowledged (its change is over). "
                    + "An alert open already stays as it is."})
    static final class Reopen extends StateChange {
        String state() { return "open"; }
    }

    @Command(name = "mute", mixinStandardHelpOptions = true,
            description = {"Mute an alert (ALERT_ID), or a series or one metric of it for a period (--series-id).",
                    "With ALERT_ID and --for/--until, its series and metric are muted for that period too; unmuting the "
                            + "alert (alerts unmute ALERT_ID), or acknowledging, expecting or resolving it while "
                            + "muted, ends that mute with it."})
    static final class Mute implements Callable<Integer> {
        @ParentCommand AlertsCommand parent;
        @Spec CommandSpec spec;
        @Mixin Connection connection;
        @Mixin Actor actor;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ALERT_ID", description = "The alert to mute.")
        Long id;

        @Option(names = "--series-id", paramLabel = "N", description = "Mute this series (its id).")
        Integer seriesId;

        @Option(names = "--metric", paramLabel = "M", description = "Only this metric of the series.")
        String metric;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (required).")
        String reason;

        @ArgGroup(exclusive = true)
        Period period;

        static final class Period {
            @Option(names = "--for", paramLabel = "D", description = "How long the series mute lasts: 30m, 12h, 7d, 2w; at "
                    + "most 365d. With ALERT_ID, the alert itself stays muted until unmuted (alerts unmute ALERT_ID).")
            String forDuration;

            @Option(names = "--until", paramLabel = "INSTANT",
                    description = "Until this date-time in the future, in the forms run_at takes (e.g. YYYY-MM-DDT00:00:00Z).")
            String until;

            /** The server's rules for the expiry (AlertEndpoints.until and mute_series: in the future, at most 365 days). */
            void check() {
                if (forDuration != null) {
                    try {
                        AlertEndpoints.duration("--for", forDuration);
                    } catch (InvalidRequestException e) {
                        throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage());
                    }
                    return;
                }
                Instant expiry;
                try {
                    expiry = dev.benchmon.ingest.Timestamps.parse(until).instant(); // what AlertEndpoints.until reads
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCodes.INVALID_INPUT, "invalid --until: " + e.getMessage());
                }
                try {
                    AlertEndpoints.checkedUntil("--until", until, expiry, Instant.now());
                } catch (InvalidRequestException e) {
                    throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage());
                }
            }
        }

        @Override
        public Integer call() {
            Map<String, String> env = parent.main.env();
            if (id == null && seriesId == null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "name an ALERT_ID or --series-id N to mute");
            }
            if (seriesId != null && period == null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "a series mute needs an expiry: --for 7d or --until "
                        + AlertEndpoints.untilExample(Instant.now()));
            }
            if (period != null) { // before the first POST: the alert's state change would stand without the mute
                period.check();
                if (reason.isBlank()) {
                    throw new CliException(ExitCodes.INVALID_INPUT, "--reason must say why the series is muted");
                }
            }
            // (--reason is the alert's comment and the mute's reason)
            try (AlertService alerts = connection.open(env, spec.commandLine().getErr(), Map.of("comment", "--reason",
                    "reason", "--reason", "metric", "--metric", "series", "--series-id", "until", "--until", "for", "--for",
                    "alert_id", "ALERT_ID"), command(spec))) {
                mute(alerts, env);
            }
            return ExitCodes.OK;
        }

        private void mute(AlertService alerts, Map<String, String> env) {
            PrintWriter out = spec.commandLine().getOut();
            int series = seriesId == null ? -1 : seriesId;
            String m = metric;
            Long own = null; // the alert whose mute this series mute is, when it covers the alert's own metric
            if (id != null) {
                ObjectNode body = ResultJson.mapper().createObjectNode().put("state", "muted").put("comment", reason)
                        .put("actor", actor.name(env)).put("source", "cli");
                JsonNode answer = alerts.setState(id, body);
                JsonNode a = answer.path("alert");
                if (answer.path("changed").asBoolean(true)) {
                    out.println(changed(id, answer, body));
                } else { // a person muted it before: nothing stored, say since when and why
                    JsonNode e = answer.path("event");
                    out.println("alert " + id + " is already muted (since " + str(e, "at") + " by " + str(e, "actor")
                            + (str(e, "comment").isEmpty() ? "" : ": " + oneLine(str(e, "comment"))) + ")"
                            + (period == null ? "; nothing changed" : "")); // (with --for, its series mute is said next)
                }
                if (seriesId == null) {
                    series = a.path("series_id").asInt();
                    m = m == null ? str(a, "metric") : m;
                }
                // Its unmute ends the series mute made with it; not a mute of another series or metric, which the
                // person muted for a reason of its own.
                if (series == a.path("series_id").asInt() && (m == null || m.equals(str(a, "metric")))) {
                    own = id;
                }
            }
            if (period != null) {
                ObjectNode body = ResultJson.mapper().createObjectNode().put("reason", reason).put("metric", m)
                        .put("actor", actor.name(env));
                if (own != null) {
                    body.put("alert_id", own);
                }
                if (period.forDuration != null) body.put("for", period.forDuration); else body.put("until", period.until);
                JsonNode mute = alerts.mute(series, body);
                String scope = "series " + series + (m == null ? "" : " metric " + m);
                if (mute.path("created").asBoolean(true)) {
                    // The alert's own mute, a person's, has no expiry (docs/ALERTS.md): said here, where --for reads
                    // as if it ended with the period.
                    out.println(scope + " muted until " + mute.path("expires_at").asText() + " (mute "
                            + mute.path("mute_id").asText() + ")" + (own == null ? "" : "; alert " + own
                            + " itself stays muted until unmuted (benchmon alerts unmute " + own + ")"));
                } else if (!str(mute, "extended_from").isEmpty()) { // one mute per scope: the one in force, extended
                    out.println(scope + " was muted until " + str(mute, "extended_from") + " (mute "
                            + mute.path("mute_id").asText() + ": " + str(mute, "reason") + "); extended to "
                            + mute.path("expires_at").asText() + ", no second mute stored");
                } else { // one mute per scope: the one in force is kept (it lasts as long as asked, or longer)
                    out.println(scope + " is already muted until " + mute.path("expires_at").asText() + " (mute "
                            + mute.path("mute_id").asText() + ": " + str(mute, "reason") + "); no second mute stored");
                }
            }
            out.flush();
        }
    }

    @Command(name = "unmute", mixinStandardHelpOptions = true,
            description = {"End a mute before its expiry: of an alert (ALERT_ID), or of a series or one metric of it (--series-id).",
                    "A muted alert opens again (acknowledged again, if it was before its mute), and the series mute "
                            + "its own mute created (alerts mute ALERT_ID --for/--until) ends with it; another mute of "
                            + "its series stays in force, and the command says so. Ending a series' mutes in force opens "
                            + "the alerts they silenced (an alert a person muted stays muted: unmute it by its id). Both "
                            + "are kept in the alerts' history."})
    static final class Unmute implements Callable<Integer> {
        @ParentCommand AlertsCommand parent;
        @Spec CommandSpec spec;
        @Mixin Connection connection;
        @Mixin Actor actor;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ALERT_ID", description = "The muted alert to open again.")
        Long id;

        @Option(names = "--series-id", paramLabel = "N", description = "End the mutes in force of this series (its id).")
        Integer seriesId;

        @Option(names = "--metric", paramLabel = "M", description = "Only the mutes of this metric of the series.")
        String metric;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why the mute ends early; kept in the history.")
        String reason;

        @Override
        public Integer call() {
            Map<String, String> env = parent.main.env();
            if (id == null && seriesId == null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "name an ALERT_ID or --series-id N to unmute");
            }
            if (metric != null && seriesId == null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "--metric names a metric of --series-id N: give both");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (AlertService alerts = connection.open(env, spec.commandLine().getErr(), Map.of("comment", "--reason",
                    "reason", "--reason", "metric", "--metric", "series", "--series-id", "alert_id", "ALERT_ID"), command(spec))) {
                if (seriesId != null) {
                    // One request, one transaction: the series' mutes end and the alert opens (unless their end opened
                    // it), or, when either is refused, nothing is stored, as the refusal says.
                    ObjectNode body = ResultJson.mapper().createObjectNode().put("metric", metric).put("reason", reason)
                            .put("actor", actor.name(env)).put("alert_id", id).put("source", "cli");
                    JsonNode u = alerts.unmute(seriesId, body);
                    List<String> ids = new ArrayList<>();
                    u.path("mute_ids").forEach(m -> ids.add(m.asText()));
                    out.println("series " + seriesId + (metric == null ? "" : " metric " + metric) + ": mute "
                            + String.join(", ", ids) + " ended");
                    for (JsonNode a : u.path("alerts")) {
                        out.println("  alert " + str(a, "id") + " is now " + str(a, "state"));
                    }
                } else {
                    ObjectNode body = ResultJson.mapper().createObjectNode().put("comment", reason)
                            .put("actor", actor.name(env)).put("source", "cli");
                    JsonNode u = alerts.unmuteAlert(id, body);
                    out.println(isNow(id, u.path("alert")));
                    printMutesEnded(u, out);
                    // A series mute covering its metric is not ended by this: say so, and how to end it.
                    for (JsonNode m : u.path("mutes_in_force")) {
                        out.println("  " + str(m, "note"));
                    }
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** exclude / include: one annotation of a run that judges its series' alerts again, and what happened to each. */
    abstract static class RunAnnotation implements Callable<Integer> {
        @ParentCommand AlertsCommand parent;
        @Spec CommandSpec spec;
        @Mixin Connection connection;
        @Mixin Actor actor;

        @Parameters(index = "0", paramLabel = "RUN", description = "The run's id: the id column of 'export history' or /api/v1/history, the N of the dashboard's /runs/N (4711 or #4711).")
        String runText; // read by run(): picocli's own refusal of a long is followed by the whole usage text

        /** Why, as sent: the annotation's text (an exclusion's reason). */
        abstract String reason();

        /** The annotation's kind, as the API takes it. */
        abstract String kind();

        /** What became of the run, for the first line: {@code run 4711 excluded}. */
        abstract String done();

        /**
         * What happened to one alert the annotation of {@code run} judged, in words that stand alone: {@code resolved},
         * {@code stays open: its change persists without run 4711; it starts at run 4712} (a kept alert names the first
         * run of its change that counts, which an exclusion may have moved past the excluded run),
         * {@code reopened: open again, its change starts at run 4711}, or
         * {@code stays open; without run 4711 its severity now is minor} (regraded). The API's {@code effect} is the key.
         */
        String effect(JsonNode alert, long run) {
            String state = str(alert, "state");
            String starts = "its change starts at run " + str(alert, "transaction_id");
            return switch (str(alert, "effect")) {
                case "resolved" -> "resolved";
                case "regraded" -> "stays " + state + "; " + (kind().equals("excluded") ? "without run " + run
                        : "with run " + run + " counted again") + " its severity now is " + str(alert, "now_severity");
                case "reopened" -> "reopened: " + state + " again, " + starts;
                case "kept" -> "stays " + state + ": " + (kind().equals("excluded")
                        ? "its change persists without run " + run + "; it starts at run " + str(alert, "transaction_id")
                        : starts);
                default -> str(alert, "effect") + " (" + state + ")";
            };
        }

        /** The run's transaction id, {@code 4711} or {@code #4711} as {@code compare} takes one. */
        long run() {
            String t = runText.strip();
            try {
                long id = Long.parseLong(t.startsWith("#") ? t.substring(1) : t);
                if (id >= 1) {
                    return id;
                }
            } catch (NumberFormatException ignored) {
                // said below
            }
            throw new CliException(ExitCodes.INVALID_INPUT, "invalid RUN '" + dev.benchmon.ingest.TextRules.visible(runText)
                    + "': give the run's id, the id column of 'export history' (a number such as 4711, or #4711); "
                    + "a CI run id (run:555) names no single run here");
        }

        @Override
        public Integer call() {
            long run = run();
            Map<String, String> env = parent.main.env();
            ObjectNode body = ResultJson.mapper().createObjectNode().put("kind", kind()).put("text", reason())
                    .put("actor", actor.name(env));
            JsonNode a;
            try (AlertService alerts = connection.open(env, spec.commandLine().getErr(),
                    Map.of("text", "--reason", "reason", "--reason", "run", "RUN"), command(spec))) { // an exclusion's text is its reason
                a = alerts.annotate(run, body);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("run " + run + " " + done());
            for (JsonNode alert : a.path("alerts")) {
                out.println("  alert " + str(alert, "id") + " " + effect(alert, run));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "exclude", mixinStandardHelpOptions = true,
            description = {"Exclude a run (a bad push, a broken runner) from baselines and detection.",
                    "It stays in the log, shown greyed with the reason (an excluded run is refused: include it first to "
                            + "give another reason). An alert it raised resolves when the later runs "
                            + "are back at the old level (or there are none); while they still show the change it stays. "
                            + "An alert the detector resolved on this run (back within noise) goes back to the state it "
                            + "had when the runs left still show its change.",
                    "benchmon alerts include RUN undoes it."})
    static final class Exclude extends RunAnnotation {
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (required).")
        String reason;

        String reason() { return reason; }
        String kind() { return "excluded"; }
        String done() { return "excluded"; }
    }

    @Command(name = "include", mixinStandardHelpOptions = true,
            description = {"Include an excluded run again: it counts in baselines and detection again (a run that is "
                    + "not excluded is refused).",
                    "An alert its exclusion resolved goes back to the state it had (unless the newest run is back near "
                            + "the baseline, or another alert of its metric is active; an open one comes back muted while a "
                            + "series mute covers its metric); an alert its exclusion moved names, and "
                            + "follows, its runs again; an alert the exclusion of the run that resolved it reopened "
                            + "resolves again. All are kept in the alerts' history."})
    static final class Include extends RunAnnotation {
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why; kept in the run's annotations "
                + "(default: \"" + dev.benchmon.server.alert.AlertEndpoints.INCLUDED_TEXT + "\", as the API's).")
        String reason;

        // The API's default, the one place it is set; given on a database (--db / --home) too.
        String reason() { return reason == null ? dev.benchmon.server.alert.AlertEndpoints.INCLUDED_TEXT : reason; }
        String kind() { return "included"; }
        String done() { return "included again"; }
    }

    /** The subcommand as typed, for a refusal or note: {@code alerts ack}. */
    static String command(CommandSpec spec) {
        return "alerts " + spec.name();
    }

    /**
     * What a change of state says, naming the alert it changed: {@code alert 4 is now muted (bert-c / glue-v2 @ci
     * accuracy -4.9 points)}, as ack, expect, mute and unmute all say it (mute said only {@code alert 7 is now muted}).
     */
    static String isNow(Object id, JsonNode alert) {
        return "alert " + id + " is now " + str(alert, "state") + " (" + str(alert, "series") + " " + str(alert, "metric")
                + " " + str(alert, "change") + ")";
    }

    /**
     * What a state change that changed something ({@code "changed": true}) says: {@link #isNow}, or {@link #isStill}
     * when the alert was in that state already, though not by a person (the detector or an exclusion resolved it, a
     * series mute muted it): the person's change is recorded anew, which "is now resolved" hid.
     */
    static String changed(Object id, JsonNode answer, JsonNode body) {
        JsonNode a = answer.path("alert");
        return str(a, "state").equals(answer.path("previous_state").asText()) ? isStill(id, a, body) : isNow(id, a);
    }

    /**
     * What a state change says when the alert was in that state already, though not by a person's change:
     * {@code alert 4 is resolved, as it was; recorded now as ana's resolve too (bert-c / glue-v2 @ci accuracy -4.9
     * points)}.
     */
    static String isStill(Object id, JsonNode alert, JsonNode body) {
        String state = str(alert, "state");
        String verb = switch (state) {
            case "acknowledged" -> "acknowledgement";
            case "expected" -> "expect";
            case "muted" -> "mute";
            default -> "resolve";
        };
        return "alert " + id + " is " + state + ", as it was; recorded now as " + str(body, "actor") + "'s " + verb
                + " too (" + str(alert, "series") + " " + str(alert, "metric") + " " + str(alert, "change") + ")";
    }

    /**
     * A comment within a one-line message: its lines joined by {@code " / "}, so the message stays one line and ends
     * where its closing parenthesis says ({@code alerts show ID} prints the comment's lines as written).
     */
    static String oneLine(String comment) {
        return comment.strip().replaceAll("\\s*\\R\\s*", " / ");
    }

    /** A field as text; empty when missing or null (JSON null is not the text "null"). */
    static String str(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? "" : v.asText();
    }

    /**
     * The series mutes an alert's own mute created that ended as the alert left its mute (an answer's
     * {@code mutes_ended}, by their notes), and the alerts those mutes alone silenced that opened ({@code alerts}).
     */
    static void printMutesEnded(JsonNode answer, PrintWriter out) {
        for (JsonNode m : answer.path("mutes_ended")) {
            out.println("  " + str(m, "note"));
        }
        for (JsonNode a : answer.path("alerts")) {
            out.println("  alert " + str(a, "id") + " is now " + str(a, "state"));
        }
    }
}
