package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.MinEffect;
import dev.benchmon.ValidationException;
import dev.benchmon.detect.MetricSemantics;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.notebook.DisplayWidth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code benchmon metrics list|define}: what each metric means to the detector. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_HELP, ExitCodes.INVALID_INPUT_HELP,
                ExitCodes.UNREACHABLE_HELP, ExitCodes.FAILURE_HELP},
        description = "List metric definitions, or declare a metric's direction, unit and minimum effect.",
        subcommands = {MetricsCommand.ListMetrics.class, MetricsCommand.Define.class, MetricsCommand.Recompute.class})
final class MetricsCommand extends CommandGroup {
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Every metric seen or defined, with the direction the detector uses and where it comes from.",
                    "Reads the local database (--db / --home / $BENCHMON_DB_URL), or a server with --server "
                            + "(GET /api/v1/metrics, one request; a server without it, of an earlier version: "
                            + "GET /api/v1/meta, then GET /api/v1/metrics/NAME of each metric)."})
    static final class ListMetrics implements Callable<Integer> {
        @ParentCommand
        MetricsCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server = ServerOptions.reading();

        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() {
            server.check("metrics list", database);
            List<Line> lines = server.present() ? fromServer() : fromDatabase();
            PrintWriter out = spec.commandLine().getOut();
            print(out, new Line("metric", "direction", "unit", "min_effect", "source"));
            lines.forEach(line -> print(out, line));
            out.flush();
            return ExitCodes.OK;
        }

        /**
         * The minimum effect of a metric that states none, its kind's share of the baseline ({@code 0.5% (default)}),
         * so that the column says what the detector uses; empty for a metric never judged (direction none) or a server
         * that does not say it. The column was empty for every such metric, beside pages that pointed here for it.
         */
        static String kindDefault(double relative, String direction) {
            return direction.equals("none") || !(relative > 0) ? "" : new MinEffect(relative, true) + " (default)";
        }

        /** One metric's line: its reported direction, unit, minimum effect (stated, else the default) and where the direction comes from. */
        private record Line(String metric, String direction, String unit, String minEffect, String source) {
        }

        /**
         * The source of a metric a definition decides: {@code declared} by someone, or {@code default definition}, one
         * the schema created that nobody has redefined ({@code built_in}): "declared" of {@code accuracy} on a fresh
         * database read as if the user had declared it.
         */
        private static String declaredSource(boolean builtIn) {
            return builtIn ? "default definition" : "declared";
        }

        private List<Line> fromDatabase() {
            List<Line> lines = new ArrayList<>();
            try (Benchmon bm = database.openForReading(parent.main.env())) {
                Table t = bm.metricDefinitions();
                var declared = bm.detection().definitions();
                for (int i = 0; i < t.rowCount(); i++) {
                    String name = t.stringColumn("name").get(i);
                    MetricDefinition d = declared.get(name);
                    MetricSemantics semantics = MetricSemantics.of(name, declared);
                    MetricDirection dir = semantics.direction();
                    boolean builtIn = Boolean.TRUE.equals(t.booleanColumn("built_in").get(i));
                    lines.add(new Line(name, semantics.reportedDirection().sqlName(),
                            d == null || d.unit() == null ? "" : d.unit(),
                            d == null || d.statedMinEffect() == null
                                    ? kindDefault(semantics.kind().relativeMinEffect(), semantics.reportedDirection().sqlName())
                                    : d.statedMinEffect().toString(),
                            d != null ? declaredSource(builtIn) : dir != null ? "built-in dictionary (" + semantics.kind().jsonName() + ")"
                                    : "unknown: " + MetricSemantics.declareCommand(name))); // quoted for a shell
                }
            }
            return lines;
        }

        /**
         * The server's view, as its API answers it: every metric seen or defined, each with what it means, in one
         * request ({@code GET /api/v1/metrics}: the rows {@link Benchmon#metricDefinitions()} reads here, each as
         * {@code GET /api/v1/metrics/NAME} describes it, the only answer that holds the stated minimum effect and the
         * kind). A server of an earlier version, without that route (404), is asked the older way ({@link #oneByOne}).
         */
        private List<Line> fromServer() {
            PrintWriter err = spec.commandLine().getErr();
            PushClient client = server.client(parent.main.env(), err, "Listing metrics only reads, so trying again is safe.");
            List<Line> lines = new ArrayList<>();
            JsonNode metrics = client.getJsonIfRouted("api/v1/metrics").map(all -> all.path("metrics"))
                    .orElseGet(() -> oneByOne(client, err));
            for (JsonNode m : metrics) {
                JsonNode effect = m.path("min_effect"); // 0.5 in the unit, or "2%": as the database's line says it
                String source = m.path("source").asText();
                lines.add(new Line(m.path("name").asText(), m.path("direction").asText(),
                        m.path("unit").isTextual() ? m.get("unit").asText() : "",
                        effect.isNumber() ? new MinEffect(effect.doubleValue(), false).toString()
                                : effect.isTextual() ? effect.asText()
                                : kindDefault(m.path("default_relative_min_effect").asDouble(Double.NaN), m.path("direction").asText()),
                        source.equals("declared") ? declaredSource(m.path("built_in").asBoolean(false)) : source.equals("dictionary")
                                ? "built-in dictionary (" + m.path("kind").asText() + ")"
                                : "unknown: " + m.path("declare").asText()));
            }
            return lines;
        }

        /**
         * The metrics as a server of an earlier version (before {@code GET /api/v1/metrics}) answers them: the names
         * seen or defined ({@code GET /api/v1/meta}'s metric_definitions), then what each means ({@code GET
         * /api/v1/metrics/NAME}), one request per metric; a note on {@code err} says so once the server answered
         * {@code /meta} (a 404 there too is refused as any other: --server is not a benchmon server's base URL).
         */
        private static JsonNode oneByOne(PushClient client, PrintWriter err) {
            JsonNode seen = client.getJson("api/v1/meta").path("metric_definitions");
            err.println("note: " + client.server() + " is older than this benchmon and has no GET /api/v1/metrics, so "
                    + "its " + seen.size() + " metric(s) were asked one request each (GET /api/v1/metrics/NAME). "
                    + "Upgrade the server to list them in one request.");
            err.flush();
            ArrayNode metrics = ResultJson.mapper().createArrayNode();
            for (JsonNode s : seen) {
                String name = s.path("name").asText();
                JsonNode m = client.getJson("api/v1/metrics/" + PushClient.pathSegment(name));
                if (m instanceof ObjectNode o && !o.has("name")) {
                    o.put("name", name);
                }
                metrics.add(m);
            }
            return metrics;
        }

        /** One line of the list, padded by terminal columns: a 日本語 metric or unit takes two per character. */
        private static void print(PrintWriter out, Line line) {
            out.println(DisplayWidth.padRight(line.metric(), 32) + " " + DisplayWidth.padRight(line.direction(), 18) + " "
                    + DisplayWidth.padRight(line.unit(), 10) + " " + DisplayWidth.padRight(line.minEffect(), 15) + " "
                    + line.source());
        }
    }

    @Command(name = "define", mixinStandardHelpOptions = true,
            description = {"Declare a metric: which way is better, its unit and the smallest change that matters.",
                    "Writes the local database (--db / --home / $BENCHMON_DB_URL), or a server with --server "
                            + "(PUT /api/v1/metrics/NAME).",
                    "A direction of none means tracked, never judged. The stored verdicts of the series that report "
                            + "the metric are judged again at once (regressions, dashboard, API); alerts follow on a "
                            + "series' next result, or at once with 'benchmon metrics recompute --open-alerts'."})
    static final class Define implements Callable<Integer> {
        @ParentCommand
        MetricsCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Parameters(index = "0", paramLabel = "NAME", description = "The metric name, exactly as results carry it.")
        String name;

        @Option(names = "--direction", required = true, paramLabel = "D",
                description = "higher_is_better, lower_is_better or none; also higher and lower (for higher_is_better "
                        + "and lower_is_better), in any letter case, as a file's metric_definitions and PUT take them.")
        String direction;

        @Option(names = "--unit", paramLabel = "U", description = "Unit (ms, ratio, USD, ...). Not given, the metric "
                + "keeps the unit it has; --unit '' removes it.")
        String unit;

        @Option(names = "--min-effect", paramLabel = "X",
                description = "Smallest change that matters, above 0: a number in the metric's unit, or a percentage of "
                        + "the baseline like 2%%.")
        String minEffect;

        @Option(names = "--description", paramLabel = "TEXT", description = "Free text. Not given, the metric keeps "
                + "the description it has; --description '' removes it.")
        String description;

        @Mixin
        ServerOptions server = ServerOptions.writing();

        /** The definition's fields as PUT /api/v1/metrics/{name} names them, by the options that set them. */
        private static final OptionNames OPTIONS = new OptionNames(Map.of("name", "NAME", "direction", "--direction",
                "unit", "--unit", "min_effect", "--min-effect", "description", "--description"));

        @Override
        public Integer call() {
            server.check("metrics define", database);
            MetricDirection parsedDirection;
            try {
                parsedDirection = MetricDirection.parse(direction);
            } catch (ValidationException e) {
                throw CliException.badOption("--direction", e);
            }
            MinEffect effect;
            try {
                // The reading push --min-effect and ?min_effect= share (MinEffect): 0.5 in the unit, or 2%; above 0.
                effect = minEffect == null ? null : MinEffect.parse("--min-effect", minEffect);
            } catch (ValidationException e) {
                throw CliException.badOption("--min-effect", e);
            }
            // The unit and description as PUT /api/v1/metrics/{name} and a file's metric_definitions take them.
            List<ValidationException.Problem> text = MetricDefinition.textProblems(unit, "--unit", description, "--description");
            if (!text.isEmpty()) {
                throw new CliException(ExitCodes.INVALID_INPUT, text.stream()
                        .map(p -> CliException.invalidOption(p.field(), p.message())).collect(Collectors.joining("; ")));
            }
            MetricDefinition d;
            try {
                d = new MetricDefinition(name, parsedDirection, unit, null, description).withMinEffect(effect);
            } catch (ValidationException e) {
                throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage());
            }
            Stated before;
            Stated after;
            if (server.present()) {
                PushClient client = server.client(parent.main.env(), spec.commandLine().getErr(), "Defining a metric "
                        + "again replaces its definition with the same one, so running the command again is safe.")
                        .naming(OPTIONS);
                String path = "api/v1/metrics/" + PushClient.pathSegment(name);
                // PUT replaces the unit and description (docs/QUICKREF.md), so the ones not given are sent as stored.
                before = Stated.of(storedOnServer(client, path));
                MetricDefinition merged = keepingUnstated(d, before);
                // The body PUT takes, as GET answers it; the server checks the name (the database does below).
                ObjectNode body = ResultJson.mapper().createObjectNode().put("direction", merged.direction().sqlName());
                if (merged.unit() != null) body.put("unit", merged.unit());
                if (merged.statedMinEffect() != null) body.set("min_effect", ResultJson.minEffectNode(merged.statedMinEffect()));
                if (merged.description() != null) body.put("description", merged.description());
                after = Stated.of(client.putJson(path, body.toString()));
            } else {
                try (Benchmon bm = database.open(parent.main.env())) {
                    before = Stated.of(bm.detection().definitions().get(name));
                    bm.defineMetrics(keepingUnstated(d, before));
                    after = Stated.of(bm.detection().definitions().get(name));
                } catch (ValidationException e) {
                    throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage());
                }
            }
            spec.commandLine().getOut().println(confirmation(d, before, after));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }

        /**
         * What a metric's definition states as the confirmation says it: its unit, minimum effect ({@code 0.5} or
         * {@code 2%}) and description, each {@code null} when none is stated (or the metric has no definition).
         */
        record Stated(String unit, String minEffect, String description) {
            static final Stated NONE = new Stated(null, null, null);

            static Stated of(MetricDefinition d) {
                return d == null ? NONE : new Stated(d.unit(), d.statedMinEffect() == null ? null
                        : d.statedMinEffect().toString(), d.description());
            }

            /** As {@code GET} and {@code PUT /api/v1/metrics/NAME} answer it (unit null and no description when undeclared). */
            static Stated of(JsonNode answer) {
                if (answer == null) {
                    return NONE;
                }
                JsonNode effect = answer.path("min_effect");
                return new Stated(answer.path("unit").isTextual() ? answer.get("unit").asText() : null,
                        effect.isNumber() ? new MinEffect(effect.doubleValue(), false).toString()
                                : effect.isTextual() ? effect.asText() : null,
                        answer.path("description").isTextual() ? answer.get("description").asText() : null);
            }
        }

        /**
         * What the server answers for the metric ({@code GET /api/v1/metrics/NAME}), or {@code null} when it refuses
         * the name (400) or the token (401, 403): the PUT that follows is refused then too, and says why as a
         * definition's refusal (the name, or the write token it needs), storing nothing.
         */
        private static JsonNode storedOnServer(PushClient client, String path) {
            try {
                return client.getJson(path);
            } catch (CliException e) {
                if (e.httpStatus() == 400 || e.httpStatus() == 401 || e.httpStatus() == 403) {
                    return null;
                }
                throw e;
            }
        }

        /**
         * The definition to store: {@code given} with the unit and description of {@code before} where their options
         * are not given, and none where they are given empty ({@code --unit ''}). The minimum effect is kept by the
         * database itself (define_metric) when none is given.
         */
        static MetricDefinition keepingUnstated(MetricDefinition given, Stated before) {
            return new MetricDefinition(given.name(), given.direction(), merged(given.unit(), before.unit()),
                    given.minEffect(), merged(given.description(), before.description()), given.relativeMinEffect());
        }

        private static String merged(String given, String stored) {
            return given == null ? stored : given.isEmpty() ? null : given;
        }

        /**
         * The line {@code define} prints: the whole definition now stored (direction, unit, minimum effect,
         * description), each part kept from before said so with the option that changes it, and a unit or description
         * removed ({@code --unit ''}) said too, so that no change goes unseen.
         */
        static String confirmation(MetricDefinition given, Stated before, Stated after) {
            StringBuilder line = new StringBuilder("defined " + given.name() + ": " + given.direction().sqlName());
            line.append(part("unit", after.unit(), given.unit(), before.unit(), "--unit", after.unit()));
            if (after.minEffect() != null) {
                line.append(", min effect ").append(after.minEffect()).append(given.statedMinEffect() != null ? ""
                        : " (kept: defined before; --min-effect changes it)");
            }
            line.append(part("description", after.description(), given.description(), before.description(), "--description",
                    after.description() == null ? null : jsonString(after.description())));
            return line.toString();
        }

        private static String part(String label, String now, String given, String before, String option, String shown) {
            if (now != null) {
                return ", " + label + " " + shown + (given != null ? ""
                        : " (kept: defined before; " + option + " changes it, " + option + " '' removes it)");
            }
            return given != null && given.isEmpty() && before != null ? ", " + label + " removed" : "";
        }

        /** The description as a JSON string: quoted, its line breaks and quotes escaped, so the line stays one line. */
        private static String jsonString(String text) {
            try {
                return ResultJson.mapper().writeValueAsString(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Command(name = "recompute", mixinStandardHelpOptions = true,
            description = "Recompute the stored verdicts and change points of every series (after definitions or settings changed).")
    static final class Recompute implements Callable<Integer> {
        @ParentCommand
        MetricsCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Option(names = "--open-alerts", description = {"Then open the alerts the newest run of each series calls for, as "
                + "an import opens them (Benchmon.alertOnNewestRuns): after an import that was interrupted, or whose "
                + "alerting step failed. Alerts already raised change nothing."})
        boolean openAlerts;

        @Override
        public Integer call() {
            long start = System.nanoTime();
            int n;
            List<dev.benchmon.alert.AlertChange> changes = List.of();
            try (Benchmon bm = database.open(parent.main.env())) {
                n = bm.recomputeDetection();
                if (openAlerts) {
                    changes = bm.alertOnNewestRuns();
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "recomputed %d series (%.1f s)%n", n, (System.nanoTime() - start) / 1e9);
            if (openAlerts) {
                Map<String, Long> byChange = new java.util.TreeMap<>();
                changes.forEach(c -> byChange.merge(c.change(), 1L, Long::sum));
                out.println(byChange.isEmpty() ? "alerts: none changed"
                        : "alerts: " + byChange.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                                .collect(java.util.stream.Collectors.joining(", ")));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
