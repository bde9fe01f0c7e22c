package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.ValidationException;
import dev.benchmon.detect.MetricDictionary;
import dev.benchmon.detect.MetricKind;
import dev.benchmon.detect.MetricSemantics;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.api.errors.InvalidRequestException;
import io.javalin.http.Context;

import java.util.Set;

/**
 * {@code GET /api/v1/metrics/{name}}: what a metric means to the detector (declared definition, else the
 * built-in dictionary, else unknown with the command that declares it).
 * {@code PUT /api/v1/metrics/{name}} (write token): declares it from
 * {@code {"direction": "higher_is_better"|"lower_is_better"|"none", "unit": "ms", "min_effect": 0.01, "description": "..."}}.
 */
public final class MetricsEndpoint {
    private static final Set<String> FIELDS = Set.of("direction", "unit", "min_effect", "description");
    private final Benchmon benchmon;

    public MetricsEndpoint(Benchmon benchmon) {
        this.benchmon = benchmon;
    }

    public void get(Context ctx) {
        QueryParams.of(ctx, Set.of()).check();
        String name = ctx.pathParam("name");
        ctx.contentType("application/json; charset=utf-8").result(describe(name).toString());
    }

    public void put(Context ctx) {
        QueryParams.of(ctx, Set.of()).check();
        String name = ctx.pathParam("name");
        JsonNode body;
        try {
            body = ResultJson.mapper().readTree(ctx.body());
        } catch (Exception e) {
            throw InvalidRequestException.of("body", "is not JSON: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            throw InvalidRequestException.of("body", "must be a JSON object with direction (and optionally unit, min_effect, description)");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw InvalidRequestException.of(f, "is not a metric definition field (allowed: " + FIELDS + ")");
            }
        });
        JsonNode dir = body.get("direction");
        if (dir == null || !dir.isTextual()) {
            throw InvalidRequestException.of("direction", "is required: higher_is_better, lower_is_better or none");
        }
        JsonNode unit = body.get("unit");
        JsonNode minEffect = body.get("min_effect");
        JsonNode description = body.get("description");
        if (unit != null && !unit.isNull() && !unit.isTextual()) {
            throw InvalidRequestException.of("unit", "must be text");
        }
        if (minEffect != null && !minEffect.isNull() && !minEffect.isNumber()) {
            throw InvalidRequestException.of("min_effect", "must be a number > 0 in the metric's unit");
        }
        if (description != null && !description.isNull() && !description.isTextual()) {
            throw InvalidRequestException.of("description", "must be text");
        }
        try {
            benchmon.defineMetrics(new MetricDefinition(name, MetricDirection.parse(dir.asText()),
                    unit == null || unit.isNull() ? null : unit.asText(),
                    minEffect == null || minEffect.isNull() ? null : minEffect.asDouble(),
                    description == null || description.isNull() ? null : description.asText()));
        } catch (ValidationException e) {
            ValidationException.Problem p = e.problems().get(0);
            throw InvalidRequestException.of(p.field(), p.message());
        }
        ctx.status(200).contentType("application/json; charset=utf-8").result(describe(name).toString());
    }

    private ObjectNode describe(String name) {
        MetricDefinition d = benchmon.detection().definitions().get(name);
        MetricKind kind = MetricDictionary.kind(name);
        ObjectNode o = ResultJson.mapper().createObjectNode();
        o.put("name", name);
        MetricDirection dir = d != null ? d.direction() : kind.direction();
        o.put("direction", dir == null ? "unknown" : dir.sqlName());
        o.put("source", d != null ? "declared" : dir != null ? "dictionary" : "unknown");
        o.put("kind", kind.jsonName());
        if (d != null && d.unit() != null) {
            o.put("unit", d.unit());
        } else {
            o.putNull("unit");
        }
        if (d != null && d.minEffect() != null) {
            o.put("min_effect", d.minEffect());
        } else {
            o.putNull("min_effect");
            o.put("default_relative_min_effect", kind.relativeMinEffect());
        }
        if (d != null && d.description() != null) {
            o.put("description", d.description());
        }
        if (dir == null) {
            o.put("declare", MetricSemantics.declareCommand(name));
        }
        return o;
    }
}
