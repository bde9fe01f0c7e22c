package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.TextRules;

import java.time.Instant;
import java.util.List;

/**
 * Builds one result object of the native JSON shape for an adapter. Metric values that are not finite numbers are
 * left to the validation of benchmon's own JSON (dropped there with its warning, or refused when strict); a
 * standard error or sample count is kept only for a metric the result has as a finite number.
 */
final class ResultNode {
    private final int index;
    private final List<IngestWarning> warnings;
    private final ObjectNode node = ResultJson.mapper().createObjectNode();

    /**
     * @param index    the index this result will have in the adapter's output (for warnings)
     * @param warnings where warnings go
     */
    ResultNode(int index, List<IngestWarning> warnings) {
        this.index = index;
        this.warnings = warnings;
    }

    /** The object built so far. */
    ObjectNode node() {
        return node;
    }

    /** Sets a text field ({@code model_version}, {@code run_id}, ...) unless the value is null or blank. */
    ResultNode text(String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
        return this;
    }

    /**
     * Sets a name the adapter takes from the tool's output ({@code dataset_version} from a test id, ...), shortened
     * when longer than a name may be ({@link DerivedNames}), with a warning giving the whole name and the stored one.
     */
    ResultNode derivedName(String field, String value) {
        String stored = DerivedNames.shortened(value);
        if (stored != null && !stored.equals(value)) {
            warnings.add(new IngestWarning(index, field, "'" + value + "' is " + value.codePointCount(0, value.length())
                    + " characters long, more than the " + TextRules.MAX_NAME_LENGTH + " a name may have: stored as '"
                    + stored + "' (its first " + DerivedNames.KEPT + " characters, '~' and a hash of the whole name; "
                    + "docs/INPUT.md)"));
        }
        return text(field, stored);
    }

    ResultNode runAt(Instant at) {
        if (at != null) {
            node.put("run_at", at.toString());
        }
        return this;
    }

    /**
     * Adds a metric from a JSON value. A finite number is kept. A value of benchmon's own metric kinds that is not one
     * (NaN, Infinity, null, text, a boolean) is kept as sent, so that the validation every path shares
     * ({@code ResultJson.fromNodes}) treats it as in benchmon's own JSON: dropped with the native warning naming the
     * result's series, a numeric string read as its number, or, strict, the input refused. An array or an object is
     * no metric value at all and is dropped here with a warning.
     *
     * @return whether the metric holds a finite number
     */
    boolean metric(String name, JsonNode value) {
        if (value != null && value.isNumber() && Double.isFinite(value.doubleValue())) {
            node.with("metrics").put(name, value.doubleValue());
            return true;
        }
        if (value == null || value.isMissingNode() || value.isValueNode()) {
            node.with("metrics").set(name, value == null || value.isMissingNode() ? node.nullNode() : value);
            return false;
        }
        warnDropped(dev.benchmon.ResultPlace.key("metrics", name), describe(value) + " is not a number: metric dropped");
        return false;
    }

    /** Adds a metric; a non-finite value is left to validation, as {@link #metric(String, JsonNode)} says. */
    boolean metric(String name, double value) {
        return metric(name, ResultJson.mapper().getNodeFactory().numberNode(value));
    }

    /**
     * Whether the result has the metric as a finite number or numeric text (which validation reads as its number, or
     * refuses when strict), so that its standard error, sample count and direction go with it.
     */
    boolean hasMetric(String name) {
        JsonNode v = node.path("metrics").get(name);
        return v != null && (v.isNumber() && Double.isFinite(v.doubleValue()) || ResultJson.isNumericText(v));
    }

    /** The standard error of a metric the result has; anything but a finite number {@code >= 0} is dropped with a warning. */
    ResultNode stderr(String metric, JsonNode value) {
        if (!hasMetric(metric)) {
            return this;
        }
        if (value != null && value.isNumber() && Double.isFinite(value.doubleValue()) && value.doubleValue() >= 0) {
            node.with("stderr").put(metric, value.doubleValue());
        } else {
            warn(dev.benchmon.ResultPlace.key("stderr", metric), describe(value) + " is not a standard error: dropped");
        }
        return this;
    }

    ResultNode stderr(String metric, double value) {
        return stderr(metric, ResultJson.mapper().getNodeFactory().numberNode(value));
    }

    /** The number of examples a metric the result has was computed over (ignored unless {@code >= 1}). */
    ResultNode n(String metric, long n) {
        if (n >= 1 && hasMetric(metric)) {
            node.with("n").put(metric, n);
        }
        return this;
    }

    ResultNode metadata(String key, JsonNode value) {
        if (value != null && !value.isNull() && !value.isMissingNode()) {
            node.with("metadata").set(key, value);
        }
        return this;
    }

    ResultNode metadata(String key, String value) {
        if (value != null) {
            node.with("metadata").put(key, value);
        }
        return this;
    }

    ResultNode tag(String key, String value) {
        if (value != null && !value.isBlank()) {
            node.with("tags").put(key, value);
        }
        return this;
    }

    void warn(String field, String message) {
        warnings.add(new IngestWarning(index, field, message));
    }

    /** A warning that the metric value at {@code field} ({@code metrics.<name>}) was left out of the result. */
    void warnDropped(String field, String message) {
        warnings.add(new IngestWarning(index, field, message, IngestWarning.Kind.METRIC_VALUE_DROPPED));
    }

    /** The value as the warning shows it: NaN, Infinity, null, "text", an array, an object. */
    static String describe(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "null";
        if (v.isNumber()) return String.valueOf(v.doubleValue());
        if (v.isTextual()) {
            String t = v.asText();
            return "\"" + (t.length() <= 40 ? t : t.substring(0, 37) + "...") + "\"";
        }
        if (v.isBoolean()) return v.asText();
        if (v.isArray()) return "an array";
        return "an object";
    }
}
