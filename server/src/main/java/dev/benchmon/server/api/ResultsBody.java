package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.adapters.Adapters;
import dev.benchmon.ingest.adapters.Adapters.Caller;
import dev.benchmon.ingest.adapters.MergedSeries;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.adapters.ResultAdapter;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.server.api.errors.InvalidRequestException;
import dev.benchmon.server.api.errors.PayloadTooLargeException;

import java.util.List;

/**
 * The body of {@code POST /api/v1/results} read in the format its {@code format} parameter names, as
 * {@code benchmon push --format} reads a file: benchmon's own (the default: one result, an array,
 * {@code {"results": [...]}} with {@code metric_definitions}, or JSON Lines) or a tool's JSON output through its
 * adapter ({@link Adapters}; {@code auto} tells them apart). The overrides ({@code model_version},
 * {@code dataset_version}, {@code prompt_version}, and the run's context: {@link ResultOverrides#CONTEXT_FIELDS}) replace
 * what the body says, and name what a tool's file does not.
 */
final class ResultsBody {
    private ResultsBody() {
    }

    /**
     * @param format     a name of {@link Adapters#names()}, or {@code null} for benchmon's own
     * @param strict     refuse a metric value that is not a finite number (NaN, Infinity, null, text), in benchmon's
     *                   own format and a tool's alike, instead of dropping it with a warning
     * @param maxResults most results one request may carry
     * @throws dev.benchmon.ValidationException naming every problem (the format, each result's fields); two different
     *                                          results of one run are refused when they are recorded
     *                                          ({@link dev.benchmon.Benchmon#recordJudged})
     */
    static ParsedResults read(String body, String format, ResultOverrides overrides, boolean strict, int maxResults) {
        ResultAdapter adapter = Adapters.forName(format, Caller.API);
        String name = adapter.name().equals(Adapters.AUTO)
                ? Adapters.detect(body).map(ResultAdapter::name).orElse(Adapters.AUTO) : adapter.name();
        if (!name.equals(Adapters.DEFAULT)) {
            ParsedResults parsed = Adapters.parse(name, body, overrides, Caller.API, strict);
            requireAtMost(maxResults, parsed.results().size());
            return parsed;
        }
        try {
            return ownFormat(body, overrides, strict, maxResults);
        } catch (ValidationException e) {
            throw Adapters.defaultFormatRefusal(body, e, Caller.API); // a tool's output: one problem naming format=
        }
    }

    private static ParsedResults ownFormat(String body, ResultOverrides overrides, boolean strict, int maxResults) {
        List<JsonNode> roots = ResultJson.readRoots(body);
        List<JsonNode> nodes = ResultJson.elements(roots);
        if (nodes.isEmpty()) {
            throw InvalidRequestException.of("results", "the batch is empty; send at least one result");
        }
        requireAtMost(maxResults, nodes.size());
        MergedSeries.Overridden overridden = MergedSeries.override(nodes, overrides, Caller.API);
        // A metric_definitions object beside the results is declared before the results are judged.
        ParsedResults parsed = ResultJson.fromNodes(nodes, strict);
        // An override making results the body states apart one run of one series is refused, naming the parameter.
        List<IngestWarning> warnings = new java.util.ArrayList<>(parsed.warnings());
        for (int i = 0; i < nodes.size(); i++) { // an export's exclusion: checked, not applied (benchmon import does)
            if (nodes.get(i).hasNonNull(dev.benchmon.ingest.RunExclusion.FIELD)) {
                warnings.add(new IngestWarning(i, dev.benchmon.ingest.RunExclusion.FIELD, "the run's exclusion is not "
                        + "applied by this endpoint (the result is stored and counts): exclude the run with POST "
                        + "/api/v1/runs/{id}/annotations, or 'benchmon import' the file into the database"));
            }
        }
        warnings.addAll(overridden.check(parsed.results()));
        return new ParsedResults(parsed.results(), ResultJson.definitions(roots), warnings);
    }

    private static void requireAtMost(int maxResults, int results) {
        if (results > maxResults) {
            throw new PayloadTooLargeException("a request may carry at most " + maxResults + " results, got "
                    + results + "; split the batch (benchmon push does this for you)");
        }
    }
}
