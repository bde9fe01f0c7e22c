package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;

import java.util.List;
import java.util.Map;

/**
 * benchmon's own result format ({@link ResultJson}): one object, an array, {@code {"results": [...]}}
 * or JSON Lines. The default format.
 */
final class NativeJsonAdapter implements ResultAdapter {
    @Override
    public String name() {
        return Adapters.DEFAULT;
    }

    @Override
    public String reads() {
        return "benchmon's result JSON: an object, an array, {\"results\": [...]} or JSON Lines (the default)";
    }

    @Override
    public String shape() {
        return "benchmon's result JSON: objects with \"model_version\", \"dataset_version\" and \"metrics\", "
                + "one, an array, {\"results\": [...]} or JSON Lines";
    }

    /** Arrays, {@code {"results": [...]}} and objects with {@code model_version}; JSON Lines is told apart by the caller. */
    @Override
    public boolean recognizes(String text, JsonNode root) {
        return root != null && (root.isArray() || root.has("model_version") || root.path("results").isArray());
    }

    @Override
    public AdaptedResults convert(String text) {
        List<JsonNode> nodes = ResultJson.elements(ResultJson.readRoots(text));
        return new AdaptedResults(nodes, Map.of(), List.of());
    }
}
