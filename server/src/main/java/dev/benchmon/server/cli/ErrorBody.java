package dev.benchmon.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.api.errors.ErrorDetail;

import java.util.ArrayList;
import java.util.List;

/**
 * A benchmon server's JSON error body, as {@code ErrorResponses.body} writes it: {@code {"error", "status",
 * "details": [{"index", "field", "message"}], "request_id"}} ({@code index} and {@code field} only when known), read
 * from Jackson's tree field by field, so that what another server (a proxy, another version) adds or types otherwise
 * (a detail's {@code code}, a {@code status} in words, {@code details} as text) is passed over, never the whole body.
 *
 * @param error     what went wrong, said whole; null when the body has none
 * @param status    the HTTP status the body repeats, or null
 * @param details   every problem, in order (empty when none; a detail's absent message is empty)
 * @param requestId the request's id in the server's log, or null
 */
record ErrorBody(String error, Integer status, List<ErrorDetail> details, String requestId) {
    ErrorBody {
        details = details == null ? List.of() : details.stream()
                .map(d -> d.message() == null ? new ErrorDetail(d.index(), d.field(), "") : d).toList();
    }

    /** The body {@code text} holds, or null when it is no JSON object (an HTML page from a proxy, a cut-off body). */
    static ErrorBody read(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        JsonNode root;
        try {
            root = ResultJson.mapper().readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        List<ErrorDetail> details = new ArrayList<>();
        for (JsonNode d : root.path("details")) { // nothing when it is no array
            if (d.isObject()) {
                details.add(new ErrorDetail(d.path("index").isInt() ? d.get("index").intValue() : null, text(d, "field"),
                        text(d, "message")));
            }
        }
        return new ErrorBody(text(root, "error"), root.path("status").isInt() ? root.get("status").intValue() : null,
                details, text(root, "request_id"));
    }

    /** The text of {@code node}'s field {@code name}, or null when it has none that is text. */
    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** Whether a benchmon server wrote it: an error and a request id, which its log holds (a proxy's JSON has neither). */
    boolean fromBenchmon() {
        return error != null && requestId != null;
    }

    /**
     * Whether {@link #error} says the body's only detail whole, so that a line of it would say it again. The server
     * words one problem in the error as its message preceded by where it is ({@code ... result 1, results[0].metrics.loss: must be
     * ...}, {@code invalid limit: ...}, {@code invalid query parameter 'limit': ...}), or as the message itself
     * ({@code unknown model 'x' (known: ...)}, field {@code model}): so the error ends with the detail's message, right
     * after its index and field where it has them. An error that holds the message elsewhere, or names another field,
     * does not say it: its line is shown.
     */
    boolean saysItsOnlyDetail() {
        if (details.size() != 1 || error == null) {
            return false;
        }
        ErrorDetail d = details.get(0);
        if (error.equals(d.message())) {
            return true;
        }
        if (!error.endsWith(d.message())) {
            return false;
        }
        String before = error.substring(0, error.length() - d.message().length());
        if (d.field() == null) {
            return before.endsWith(": " + (d.index() == null ? "" : dev.benchmon.ResultPlace.named(d.index()) + ": "));
        }
        String named = dev.benchmon.ResultPlace.named(d.index(), d.field()) + ": ";
        return before.equals(named) || before.endsWith(" " + named)
                || d.index() == null && before.endsWith(" '" + d.field() + "': ");
    }
}
