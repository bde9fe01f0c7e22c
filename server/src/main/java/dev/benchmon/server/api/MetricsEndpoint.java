package dev.benchmon.server.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import dev.benchmon.ValidationException;
import dev.benchmon.detect.MetricKind;
import dev.benchmon.detect.MetricSemantics;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.api.errors.InvalidRequestException;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/metrics/{name}}: what a metric means to the detector (declared definition, else the
 * built-in dictionary, else unknown with the command that declares it), for any name a push accepts as a metric's,
 * seen or not (400 naming {@code name} for another, e.g. with whitespace at either end or a zero-width space):
 * {@code {"name", "direction", "source": "declared"|"dictionary"|"unknown", "built_in", "kind", "unit" (or null),
 * "min_effect", "description" (when stated), "declare" (when the direction is unknown)}}. {@code built_in} is true for a
 * definition the schema created ({@code accuracy}, {@code latency_ms}, ...) that nobody has redefined since: its source
 * is {@code declared} (a definition decides), but no one declared it. {@code min_effect} is the stated minimum
 * effect in the shape PUT takes, so an answer can be sent back unchanged: a number in the metric's unit
 * ({@code 0.5}), or a string for a percentage of the baseline ({@code "2%"}); {@code null} when none is stated, and
 * then {@code default_relative_min_effect} is the kind's default as a fraction of the baseline ({@code 0.02} = 2%).
 * {@code PUT /api/v1/metrics/{name}} (write token): declares it from
 * {@code {"direction": "higher_is_better"|"lower_is_better"|"none", "unit": "ms", "min_effect": 0.01 (or "2%"), "description": "..."}}.
 * {@code GET /api/v1/metrics}: every metric seen or defined ({@code /api/v1/meta}'s metric_definitions), each as
 * {@code GET /api/v1/metrics/{name}} describes it, in one answer {@code {"metrics": [{...}, ...]}} (by name), so a
 * client listing them sends one request, not one per metric.
 */
public final class MetricsEndpoint {
    private final Benchmon benchmon;

    public MetricsEndpoint(Benchmon benchmon) {
        this.benchmon = benchmon;
    }

    public void get(Context ctx) {
        QueryParams.of(ctx, Set.of()).check();
        String name = ctx.pathParam("name");
        // A name no result may hold (" x", control characters) is refused as PUT and a push refuse it: described, its
        // answer's "declare" command would be refused in turn. A valid name not seen yet is described (the dictionary's
        // reading of it, e.g. before the first push).
        List<ValidationException.Problem> problems = dev.benchmon.ingest.ResultValidator.storableMetricNameProblems("name", name);
        if (!problems.isEmpty()) { // the name is the path's, not a query parameter's
            String why = String.join("; ", problems.stream().map(ValidationException.Problem::message).toList());
            throw dev.benchmon.server.api.errors.InvalidRequestException.single("invalid metric name in the path: " + why,
                    dev.benchmon.server.api.errors.ErrorDetail.of("name", why));
        }
        ctx.contentType("application/json; charset=utf-8").result(describe(name).toString());
    }

    /** {@code GET /api/v1/metrics}: {@code {"metrics": [...]}}, each element as {@link #get} answers it. */
    public void list(Context ctx) {
        QueryParams.of(ctx, Set.of()).check();
        java.util.Map<String, MetricDefinition> definitions = benchmon.detection().definitions(); // read once for all
        tech.tablesaw.api.Table seen = benchmon.metricDefinitions();
        ObjectNode body = ResultJson.mapper().createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode metrics = body.putArray("metrics");
        for (int i = 0; i < seen.rowCount(); i++) {
            metrics.add(describe(seen.stringColumn("name").get(i), definitions, seen.booleanColumn("built_in").get(i)));
        }
        ctx.contentType("application/json; charset=utf-8").result(body.toString());
    }

    public void put(Context ctx) {
        QueryParams.of(ctx, Set.of()).check();
        ResultsEndpoint.checkContentType(ctx.contentType(), Set.of("application/json"), "application/json");
        String name = ctx.pathParam("name");
        String text = ctx.body(); // read outside the parse's catch: a body over the limit stays Javalin's 413
        JsonNode body;
        try {
            body = ResultJson.mapper().readTree(text);
        } catch (JsonProcessingException e) { // said as a pushed body's is: in the writer's terms, with line and column
            ValidationException.Problem p = ResultJson.jsonProblem(text, e);
            throw InvalidRequestException.of(p.field(), p.message());
        } catch (JacksonException e) {
            throw InvalidRequestException.of("body", "is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw InvalidRequestException.of("body", "must be a JSON object with direction (and optionally unit, min_effect, description)");
        }
        // The rules of a pushed file's metric_definitions (unit and description as text the database can hold).
        List<ValidationException.Problem> problems = new ArrayList<>();
        MetricDefinition definition = ResultJson.definition("name", name, body, "", problems);
        if (definition == null) {
            throw new ValidationException(problems);
        }
        benchmon.defineMetrics(definition);
        ctx.status(200).contentType("application/json; charset=utf-8").result(describe(name).toString());
    }

    private ObjectNode describe(String name) {
        tech.tablesaw.api.Table row = benchmon.metricDefinitions(List.of(name)); // no row: neither seen nor defined
        boolean builtIn = row.rowCount() > 0 && Boolean.TRUE.equals(row.booleanColumn("built_in").get(0));
        return describe(name, benchmon.detection().definitions(), builtIn);
    }

    private static ObjectNode describe(String name, java.util.Map<String, MetricDefinition> definitions, Boolean builtIn) {
        MetricDefinition d = definitions.get(name);
        MetricSemantics semantics = MetricSemantics.of(name, definitions); // the engine's rule, as every path reports it
        MetricKind kind = semantics.kind();
        ObjectNode o = ResultJson.mapper().createObjectNode();
        o.put("name", name);
        o.put("direction", semantics.reportedDirection().sqlName());
        o.put("source", semantics.source());
        o.put("built_in", d != null && Boolean.TRUE.equals(builtIn));
        o.put("kind", kind.jsonName());
        if (d != null && d.unit() != null) {
            o.put("unit", d.unit());
        } else {
            o.putNull("unit");
        }
        if (d != null && d.statedMinEffect() != null) {
            o.set("min_effect", ResultJson.minEffectNode(d.statedMinEffect()));
        } else {
            o.putNull("min_effect");
            o.put("default_relative_min_effect", kind.relativeMinEffect());
        }
        if (d != null && d.description() != null) {
            o.put("description", d.description());
        }
        if (semantics.direction() == null) {
            o.put("declare", MetricSemantics.declareCommand(name));
        }
        return o;
    }
}
