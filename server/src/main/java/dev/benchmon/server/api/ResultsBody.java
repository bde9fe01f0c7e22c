package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.adapters.Adapters;
import dev.benchmon.ingest.adapters.Adapters.Caller;
import dev.benchmon.ingest.adapters.MergedSeries;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.adapters.ResultAdapter;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.server.api.errors.ErrorDetail;
import dev.benchmon.server.api.errors.InvalidRequestException;
import dev.benchmon.server.api.errors.PayloadTooLargeException;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /api/v1/results} read in the format its {@code format} parameter names, as
 * {@code benchmon push --format} reads a file: benchmon's own JSON (the default: one result, an array,
 * {@code {"results": [...]}} with {@code metric_definitions}, or JSON Lines), benchmon's own CSV ({@code format=csv},
 * or the default for a body sent as {@code text/csv}: the reader of {@code push results.csv}, {@link CsvResults}), or a
 * tool's output through its adapter ({@link Adapters}; {@code auto} tells them apart, and reads a {@code text/csv} body
 * no tool's format recognizes as benchmon's CSV, as {@code push --format auto} reads a {@code .csv} file). The overrides
 * ({@code model_version}, {@code dataset_version}, {@code prompt_version}, and the run's context:
 * {@link ResultOverrides#CONTEXT_FIELDS}) replace what the body says, and name what a tool's file does not.
 */
final class ResultsBody {
    private ResultsBody() {
    }

    /**
     * @param format     a name of {@link Adapters#names()} or {@code csv}, or {@code null} for benchmon's own (CSV when
     *                   {@code csvBody}, else JSON)
     * @param csvBody    whether the body was sent as {@code text/csv}: what a file's {@code .csv} name is to push
     * @param strict     refuse a metric value that is not a finite number (NaN, Infinity, null, text), in benchmon's
     *                   own format and a tool's alike, instead of dropping it with a warning
     * @param maxResults most results one request may carry
     * @throws dev.benchmon.ValidationException naming every problem (the format, each result's fields); a CSV result's
     *                                          problems are an {@code InvalidRequestException} (400) naming its line and
     *                                          column ({@link CsvResults.Columns#place}); two different results of one
     *                                          run are refused when they are recorded
     *                                          ({@link dev.benchmon.Benchmon#recordJudged})
     */
    static ParsedResults read(String body, String format, boolean csvBody, ResultOverrides overrides, boolean strict,
                              int maxResults) {
        // A JSON body labelled text/csv stays JSON, as it was read before CSV bodies were (clients that labelled their
        // JSON so kept working; no CSV header starts so). Only an explicit format=csv reads it as CSV, and refuses it.
        if (format == null ? csvBody && !startsLikeJson(body) : format.trim().equalsIgnoreCase(CsvResults.FORMAT)) {
            return ownCsv(body, overrides, strict, maxResults);
        }
        ResultAdapter adapter = adapter(format);
        String name = adapter.name().equals(Adapters.AUTO)
                ? Adapters.detect(body).map(ResultAdapter::name).orElse(Adapters.AUTO) : adapter.name();
        if (name.equals(Adapters.AUTO) && csvBody) {
            Adapters.refuseRunsTable(body, Caller.API); // an MLflow or W&B runs table, which no format reads
            return ownCsv(body, overrides, strict, maxResults);
        }
        if (name.equals(Adapters.AUTO) && startsLikeJson(body)) {
            // JSON no tool's format recognizes: read as benchmon's own, as push --format auto reads it, and refused
            // saying first that no tool's format matched, then the own format's problems (it said the first alone).
            try {
                return ownFormat(body, overrides, strict, maxResults);
            } catch (ValidationException e) {
                throw NoToolMatched.refusal(e, "benchmon's own JSON", "format=%s");
            }
        }
        if (!name.equals(Adapters.DEFAULT)) {
            ParsedResults parsed;
            try {
                parsed = Adapters.parse(name, body, overrides, Caller.API, strict);
            } catch (ValidationException e) {
                throw name.equals(Adapters.AUTO) ? csvRefusal(body, e) : e;
            }
            requireAtMost(maxResults, parsed.results().size());
            return parsed;
        }
        try {
            return ownFormat(body, overrides, strict, maxResults);
        } catch (ValidationException e) {
            // a tool's output: one problem naming format=; benchmon's CSV labelled JSON: how to send it as CSV
            throw csvRefusal(body, Adapters.defaultFormatRefusal(body, e, Caller.API));
        }
    }

    /**
     * Whether {@code body}, after white space and a byte order mark, opens a JSON object or array as JSON does
     * ({@link CsvResults#startsWithJson}): {@code [cls]_f1,model_version,...} is a CSV header, not JSON.
     */
    private static boolean startsLikeJson(String body) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\uFEFF' && !Character.isWhitespace(c)) {
                return (c == '{' || c == '[') && CsvResults.startsWithJson(body.substring(i));
            }
        }
        return false;
    }

    /** The adapter of {@code format}; an unknown name is refused listing every name, {@code csv} among them. */
    private static ResultAdapter adapter(String format) {
        try {
            return Adapters.forName(format, Caller.API);
        } catch (ValidationException e) {
            List<String> names = new ArrayList<>(Adapters.names());
            names.add(1, CsvResults.FORMAT);
            throw new ValidationException(Problem.of("format", "unknown format '" + format + "' (known: "
                    + String.join(", ", names) + ")"));
        }
    }

    /**
     * A body refused as not JSON whose first line reads as a CSV header: one problem saying how to send it as benchmon's
     * CSV, instead of where the JSON breaks ({@code 'model_version' is not a JSON value}); else {@code refusal}.
     */
    private static ValidationException csvRefusal(String body, ValidationException refusal) {
        boolean notJson = !refusal.problems().isEmpty() && refusal.problems().stream().allMatch(p -> p.index() == null
                && (p.field().equals("body") && p.message().startsWith("is not valid JSON")
                || p.field().equals("format") && p.message().startsWith("cannot tell which tool")));
        if (!notJson || !CsvResults.looksLikeCsv(body)) {
            return refusal;
        }
        return new ValidationException(Problem.of("format", CsvResults.readAsJson(body) + ": send it with "
                + "Content-Type: text/csv (or format=csv) to read it as benchmon's CSV"));
    }

    /**
     * benchmon's own CSV, read by {@link CsvResults} as {@code benchmon push results.csv} reads it, then judged as
     * benchmon's own JSON: each problem names the line its row is on and the column at fault (its detail's field; the
     * result's index beside it), each warning the line.
     */
    private static ParsedResults ownCsv(String body, ResultOverrides overrides, boolean strict, int maxResults) {
        List<Long> lines = new ArrayList<>();
        List<JsonNode> nodes = CsvResults.parse(body, overrides, Caller.API, lines);
        if (nodes.isEmpty()) {
            throw InvalidRequestException.of("results", "the CSV holds no rows after its header; send at least one "
                    + "result");
        }
        requireAtMost(maxResults, nodes.size());
        ParsedResults parsed;
        try {
            parsed = judged(nodes, overrides, strict);
        } catch (ValidationException e) {
            // Each result's problem by its row's line and column (CsvResults.Columns), its detail's field the column.
            CsvResults.Columns columns = CsvResults.columns(body);
            List<Problem> listed = new ArrayList<>();
            List<ErrorDetail> details = new ArrayList<>();
            for (Problem p : e.problems()) {
                if (p.index() == null || p.index() < 0 || p.index() >= lines.size()) {
                    listed.add(p);
                    details.add(ErrorDetail.of(p));
                } else {
                    for (CsvResults.Cell cell : columns.place(p, nodes.get(p.index()), lines.get(p.index()))) {
                        listed.add(cell.problem());
                        details.add(cell.detail());
                    }
                }
            }
            throw new InvalidRequestException(new ValidationException(listed).getMessage(), details);
        }
        List<IngestWarning> warnings = parsed.warnings().stream().map(w -> w.index() < 0 || w.index() >= lines.size()
                ? w : new IngestWarning(w.index(), w.field(), "line " + lines.get(w.index()) + ": " + w.message(),
                w.kind()))
                .toList();
        return new ParsedResults(parsed.results(), parsed.definitions(), warnings);
    }

    private static ParsedResults ownFormat(String body, ResultOverrides overrides, boolean strict, int maxResults) {
        List<JsonNode> roots = ResultJson.readRoots(body);
        List<JsonNode> nodes = ResultJson.elements(roots);
        if (nodes.isEmpty()) {
            throw InvalidRequestException.of("results", "the batch is empty; send at least one result");
        }
        requireAtMost(maxResults, nodes.size());
        ParsedResults parsed = judged(nodes, overrides, strict);
        return new ParsedResults(parsed.results(), ResultJson.definitions(roots), parsed.warnings());
    }

    /** Result objects of benchmon's own format (JSON or CSV) with the overrides applied, validated (no definitions). */
    private static ParsedResults judged(List<JsonNode> nodes, ResultOverrides overrides, boolean strict) {
        MergedSeries.Overridden overridden = MergedSeries.override(nodes, overrides, Caller.API);
        // A metric_definitions object beside the results is declared before the results are judged.
        ParsedResults parsed = ResultJson.fromNodes(nodes, strict);
        // An override making results the body states apart one run of one series is refused, naming the parameter.
        List<IngestWarning> warnings = new ArrayList<>(parsed.warnings());
        for (int i = 0; i < nodes.size(); i++) { // an export's exclusion: checked, not applied (benchmon import does)
            if (nodes.get(i).hasNonNull(dev.benchmon.ingest.RunExclusion.FIELD)) {
                warnings.add(new IngestWarning(i, dev.benchmon.ingest.RunExclusion.FIELD, "the run's exclusion is not "
                        + "applied by this endpoint (the result is stored and counts): exclude the run with POST "
                        + "/api/v1/runs/{id}/annotations, or 'benchmon import' the file into the database"));
            }
        }
        warnings.addAll(overridden.check(parsed.results()));
        return new ParsedResults(parsed.results(), java.util.Map.of(), warnings);
    }

    private static void requireAtMost(int maxResults, int results) {
        if (results > maxResults) {
            throw new PayloadTooLargeException("a request may carry at most " + maxResults + " results, got "
                    + results + "; split the batch (benchmon push does this for you)");
        }
    }
}
