package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.ValidationException;
import dev.benchmon.detect.Backtest;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.detect.DetectionSettings;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.notebook.DisplayWidth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code benchmon backtest}: replays the detector over stored history; nothing is stored. */
@Command(name = "backtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay the detection engine over stored history: alerts per series and metric.",
                "It replays run by run in the order results were recorded, and prints per series and metric and in "
                        + "total: runs, alerts, alerts per 100 runs and change points. Nothing is stored.",
                "--target-rate suggests the sensitivity that meets a target alert rate."},
exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_HELP, ExitCodes.INVALID_INPUT_HELP,
                ExitCodes.UNREACHABLE_HELP, ExitCodes.FAILURE_HELP})
final class BacktestCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--model", paramLabel = "M", description = "Only this model (repeatable).")
    List<String> models = List.of();

    @Option(names = "--dataset", paramLabel = "D", description = "Only this dataset (repeatable).")
    List<String> datasets = List.of();

    @Option(names = "--environment", paramLabel = "E", description = "Only this environment (repeatable).")
    List<String> environments = List.of();

    @Option(names = "--metric", paramLabel = "NAME", description = "Only this metric (repeatable).")
    List<String> metrics = List.of();

    @Option(names = "--sensitivity", paramLabel = "Z",
            description = "Noise sd a change must exceed (low, medium, high or a number; default 4).")
    String sensitivity;

    @Option(names = "--min-effect", paramLabel = "X", description = "Smallest change that matters, above 0: a number in "
            + "the metric's unit, or a percentage like 2%%.")
    String minEffect;

    @Option(names = "--target-rate", paramLabel = "PER_100",
            description = "Suggest the most sensitive setting with at most this many alerts per 100 runs "
                    + "(of 2 to 10 sd, in steps of 0.5 up to 6).")
    Double targetRate;

    @Option(names = "--json", description = "Print the same as JSON.")
    boolean json;

    @Override
    public Integer call() {
        DetectionOverrides overrides = DetectionOverrides.NONE;
        try {
            if (sensitivity != null) {
                overrides = overrides.withSensitivity(DetectionSettings.parseSensitivity(sensitivity));
            }
        } catch (ValidationException e) {
            throw CliException.badOption("--sensitivity", e);
        }
        try {
            if (minEffect != null) {
                overrides = overrides.withMinEffect(minEffect);
            }
        } catch (ValidationException e) {
            throw CliException.badOption("--min-effect", e); // named by the flag typed, as push names it
        }
        if (targetRate != null && !(targetRate >= 0)) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--target-rate must be a number >= 0, got " + targetRate);
        }
        Filter filter = Filter.all().withModels(models.toArray(String[]::new)).withDatasets(datasets.toArray(String[]::new))
                .withEnvironments(environments.toArray(String[]::new)).withMetrics(metrics.toArray(String[]::new));
        PrintWriter out = spec.commandLine().getOut();
        try (Benchmon bm = database.openForReading(main.env())) {
            bm.requireKnown(filter); // a misspelt model would replay nothing and print an empty table
            Backtest backtest = new Backtest(bm.jdbi(), bm.detection());
            List<Backtest.Row> rows = backtest.run(filter, overrides);
            Double suggested = targetRate == null ? null : backtest.suggestSensitivity(filter, targetRate);
            long runs = rows.stream().mapToLong(Backtest.Row::runs).sum();
            long alerts = rows.stream().mapToLong(Backtest.Row::alerts).sum();
            long cps = rows.stream().mapToLong(Backtest.Row::changePoints).sum();
            // The engine's words with each metric's unit after the change, as push and the alerts word them.
            List<String> alertedMetrics = rows.stream().filter(r -> !r.alerted().isEmpty()).map(Backtest.Row::metric)
                    .distinct().toList();
            dev.benchmon.chart.MetricUnits units = bm.metricUnits(alertedMetrics);
            if (json) {
                ObjectNode root = ResultJson.mapper().createObjectNode();
                ArrayNode a = root.putArray("series");
                for (Backtest.Row r : rows) {
                    ObjectNode o = a.addObject().put("series", r.series()).put("metric", r.metric()).put("runs", r.runs())
                            .put("alerts", r.alerts()).put("improvements", r.improvements())
                            .put("alerts_per_100_runs", r.alertsPer100()).put("change_points", r.changePoints());
                    ArrayNode alerted = o.putArray("alerted_runs");
                    r.alerted().forEach(run -> alerted.addObject().put("id", run.transactionId())
                            .put("run_at", run.runAt().toString()).put("text", units.inExplanation(run.text(), r.metric())));
                }
                root.putObject("total").put("runs", runs).put("alerts", alerts)
                        .put("alerts_per_100_runs", Backtest.totalPer100(rows)).put("change_points", cps);
                if (suggested != null) {
                    if (suggested.isNaN()) {
                        root.putNull("suggested_sensitivity");
                    } else {
                        root.put("suggested_sensitivity", suggested);
                    }
                }
                out.println(root);
            } else {
                // Columns as wide as the longest name (at least 50 and 24), padded by terminal columns (a series or
                // metric named in CJK takes two per character): a longer name pushed the numbers of its row right.
                int seriesWidth = width(rows.stream().map(Backtest.Row::series).toList(), 50);
                int metricWidth = width(rows.stream().map(Backtest.Row::metric).toList(), 24);
                out.printf(Locale.ROOT, "%s %s %6s %6s %9s %5s%n", DisplayWidth.padRight("series", seriesWidth),
                        DisplayWidth.padRight("metric", metricWidth), "runs", "alerts", "per 100", "cps");
                for (Backtest.Row r : rows) {
                    out.printf(Locale.ROOT, "%s %s %6d %6d %9.2f %5d%n", DisplayWidth.padRight(r.series(), seriesWidth),
                            DisplayWidth.padRight(r.metric(), metricWidth), r.runs(), r.alerts(),
                            r.alertsPer100(), r.changePoints());
                }
                out.printf(Locale.ROOT, "%s %s %6d %6d %9.2f %5d%n", DisplayWidth.padRight("total", seriesWidth),
                        DisplayWidth.padRight("", metricWidth), runs, alerts, Backtest.totalPer100(rows), cps);
                printAlertedRuns(out, rows, alerts, units);
                if (suggested != null) {
                    out.println(suggested.isNaN() ? "no sensitivity up to 10 sd meets " + targetRate + " alerts per 100 runs"
                            : String.format(Locale.ROOT, "suggested: --sensitivity %s (at most %s alerts per 100 runs on this history)",
                            suggested, targetRate));
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The terminal columns of the widest of {@code names}, at least {@code min}. */
    private static int width(List<String> names, int min) {
        return Math.max(min, names.stream().mapToInt(DisplayWidth::of).max().orElse(0));
    }

    /** The alerted runs the text lists at most; --json lists every one. */
    static final int ALERTED_RUNS_SHOWN = 20;

    /**
     * Which runs the replay alerted on, under the table, the newest first, at most {@value #ALERTED_RUNS_SHOWN}: a
     * rate alone ("1 alert, 1.67 per 100") sent the user to look for the run by hand. Each line: the result id (what
     * {@code /runs/ID} and {@code alerts exclude ID} take), run_at, series, metric and the engine's words.
     */
    private static void printAlertedRuns(PrintWriter out, List<Backtest.Row> rows, long alerts,
                                         dev.benchmon.chart.MetricUnits units) {
        if (alerts == 0) {
            return;
        }
        record Line(java.time.Instant at, String[] cells) {
        }
        List<Line> lines = new java.util.ArrayList<>();
        for (Backtest.Row r : rows) {
            for (Backtest.AlertedRun run : r.alerted()) {
                lines.add(new Line(run.runAt(), new String[] {"#" + run.transactionId(), run.runAt().toString(),
                        r.series(), r.metric(), units.inExplanation(run.text(), r.metric())}));
            }
        }
        lines.sort(java.util.Comparator.comparing(Line::at).reversed());
        out.println();
        out.println("alerted runs, newest first" + (lines.size() > ALERTED_RUNS_SHOWN
                ? " (the newest " + ALERTED_RUNS_SHOWN + " of " + lines.size() + "; --json lists all)" : "") + ":");
        out.print(ColumnText.of(lines.stream().limit(ALERTED_RUNS_SHOWN).map(Line::cells).toList(), "  "));
    }
}
