package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.ResultJson;

import java.math.BigDecimal;
import java.util.Map;

/** Shared reading steps of the JSON adapters. */
final class JsonInput {
    private JsonInput() {
    }

    /**
     * The input as one JSON object (NaN and Infinity allowed, as Python's {@code json} writes them).
     *
     * @param expected what the tool's file holds, for the error, e.g. {@code "results", "n-samples" and "configs"}
     * @throws ValidationException when it is not JSON or not one object
     */
    static JsonNode object(String text, String format, String expected) {
        var roots = ResultJson.readRoots(text);
        if (roots.size() != 1 || !roots.get(0).isObject()) {
            throw new ValidationException(Problem.of("body", "is not " + format + " output: expected one JSON object with "
                    + expected));
        }
        return roots.get(0);
    }

    /** Text of a field, or null when absent, null or not text. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isValueNode() && !v.isNull() && !v.asText().isBlank() ? v.asText() : null;
    }

    /**
     * A JSON number as the decimal the file wrote. A double node holds no digits: its shortest decimal is the one that
     * reads back as it, which a file of shortest digits (as Python's {@code json} writes) wrote. A node read
     * exactly (a whole number, a decimal node) is its value. Only for a finite number.
     */
    static BigDecimal written(JsonNode number) {
        return number.isDouble() || number.isFloat()
                ? new BigDecimal(NumberOutput.toString(number.doubleValue(), true)) : number.decimalValue();
    }

    /** Adds a definition unless the metric already has one from earlier in the file. */
    static void define(Map<String, MetricDefinition> definitions, String metric, MetricDirection direction, String unit) {
        definitions.putIfAbsent(metric, new MetricDefinition(metric, direction, unit, null, null));
    }
}
