package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ValidationException;
import dev.benchmon.detect.ChangePoint;
import dev.benchmon.detect.DetectionSettings;
import dev.benchmon.detect.SeriesFile;
import dev.benchmon.ingest.ResultJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code benchmon changepoints FILE}: change points of one series in a CSV or JSON Lines file; no database. */
@Command(name = "changepoints", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Change points of one series in a CSV or JSON Lines file (no database needed).",
                "A CSV file has a header row, and its first numeric column is read unless --column names one (empty "
                        + "cells and nan are missing); it is read as import reads CSV (a quoted cell may span lines). It prints the 0-based data rows where a new segment starts, with "
                        + "the file's line number its row starts on (the header is line 1), the row's run_at and id when the file has them, "
                        + "and the levels before and after.",
                "Rows that all carry a run_at are taken oldest first whatever the file's order; rows "
                        + "with the same run_at by their id column, else their attempt column (when every row has it as a whole "
                        + "number), else in the file's order.",
                "benchmon's id, attempt and run_count columns and a result's context (run_id, commit_sha, branch, "
                        + "recorded_at, tags, notes, stderr, n, metadata and the like, as 'export history' writes them) "
                        + "are never the default column, nor is a column numbering "
                        + "the rows (named run, step, index, epoch or the like, with whole numbers only rising or falling). "
                        + "JSON Lines whose lines hold several metrics need --column. A file holding several series "
                        + "(model_version, dataset_version, prompt_version or environment differ) is refused."},
exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_HELP, ExitCodes.INVALID_FILE_HELP,
                ExitCodes.FAILURE_HELP})
final class ChangePointsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "CSV or JSON Lines file.")
    Path file;

    @Option(names = "--column", paramLabel = "NAME", description = "Column (CSV) or field (JSON Lines) to read.")
    String column;

    @Option(names = "--sensitivity", paramLabel = "Z", defaultValue = "medium",
            description = "Noise sd a change must exceed (low, medium, high or a number; default ${DEFAULT-VALUE}).")
    String sensitivity;

    @Option(names = "--json", description = "Print {\"change_points\": [{\"index\": 28, \"line\": 30, \"run_at\": ..., \"id\": ..., ...}]}.")
    boolean json;

    @Override
    public Integer call() {
        SeriesFile series;
        DetectionSettings settings;
        try {
            settings = DetectionSettings.defaults().withRelativeMinEffect(0)
                    .withSensitivity(DetectionSettings.parseSensitivity(sensitivity));
        } catch (ValidationException e) {
            throw CliException.badOption("--sensitivity", e); // the option typed, before the file is read
        }
        try {
            series = SeriesFile.read(file, column);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw Utf8Text.notUtf8(file.toString(), file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "no such file: " + file + " (give the path of a CSV file or "
                    + "of a JSON Lines file, such as benchmon export history writes)");
        } catch (IOException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "cannot read " + file + ": " + e.getMessage());
        } catch (ValidationException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, file + ": invalid input: " + e.problemText()); // a read: nothing to store
        }
        List<ChangePoint> cps = series.changePoints(settings);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = ResultJson.mapper().createObjectNode();
            root.put("column", series.column()).put("values", series.values().length);
            ArrayNode a = root.putArray("change_points");
            for (ChangePoint cp : cps) {
                ObjectNode o = a.addObject();
                SeriesFile.Where w = series.at(cp.index());
                o.put("index", cp.index());
                o.put("line", w.line());
                if (w.runAt() != null) o.put("run_at", w.runAt());
                if (w.id() != null) o.put("id", w.id());
                o.put("before", cp.before());
                o.put("after", cp.after());
                o.put("magnitude", cp.magnitude());
                putFinite(o, "relative", cp.relative());
                putFinite(o, "sd", cp.sds());
                o.put("confidence", cp.confidence());
            }
            out.println(root);
        } else {
            out.printf(Locale.ROOT, "%s: %d values, %d change point(s)%n", series.column(), series.values().length, cps.size());
            for (ChangePoint cp : cps) {
                out.printf(Locale.ROOT, "  row %d (%s): %.6g -> %.6g (%+.6g, %.1f sd, confidence %.3f)%n", cp.index(),
                        where(series.at(cp.index())), cp.before(), cp.after(), cp.magnitude(), cp.sds(), cp.confidence());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** {@code line 23, run_at 2026-05-02T06:00:00Z, id 1030}: the run_at and id only when the file has them. */
    private static String where(SeriesFile.Where w) {
        return "line " + w.line() + (w.runAt() == null ? "" : ", run_at " + w.runAt()) + (w.id() == null ? "" : ", id " + w.id());
    }

    private static void putFinite(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }
}
