package dev.benchmon.server.web;

import dev.benchmon.ValidationException;
import dev.benchmon.server.api.errors.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the dashboard words a triage form it refuses. A person filled in a form, so a bad field reads as that form's
 * field ({@code invalid form field kind: must be excluded, included or note; got flagged}), whichever layer refused
 * it: the toolkit's argument checks (a {@link ValidationException}, whose own message speaks of arguments or of
 * benchmark input) or the API's field checks the forms share (an {@link ApiException}). Anything else (an unknown
 * alert, the database) reads as its own message.
 */
final class FormRefusal {
    private FormRefusal() {
    }

    /** The answer's text for {@code e}. */
    static String text(RuntimeException e) {
        return text(e, Map.of());
    }

    /**
     * The answer's text for {@code e}, a field the toolkit names differently from the form read by the form's name
     * ({@code formNames}: the toolkit's name to the form's, e.g. a mute's {@code reason} is a triage form's
     * {@code comment}). (What the form acts on refusing it, a run excluded already, is a conflict with its own page.)
     */
    static String text(RuntimeException e, Map<String, String> formNames) {
        List<String> fields = new ArrayList<>();
        if (e instanceof ValidationException v) {
            v.problems().forEach(p -> fields.add(formNames.getOrDefault(p.field(), p.field()) + ": " + p.message()));
        } else if (e instanceof ApiException a) {
            a.problems().stream().filter(d -> d.field() != null).forEach(d -> fields.add(d.field() + ": " + d.message()));
        }
        if (fields.isEmpty()) {
            return e.getMessage();
        }
        return (fields.size() == 1 ? "invalid form field " : "invalid form fields: ") + String.join("; ", fields);
    }
}
