package dev.benchmon.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException.Problem;

import java.time.Instant;
import java.util.List;

/**
 * The exclusion a result carries in an export ({@code "excluded": {"reason": ..., "actor": ..., "since": ...}}): the
 * run was left out of baselines and detection in the database it was exported from, by {@code actor}, for
 * {@code reason}, since {@code since}. It is no part of the result (its idempotency key, the values compared when it
 * is sent again): an import applies it to the stored result afterwards, as {@code benchmon runs exclude} would
 * ({@code annotate_run}), so that a copy's baselines, snapshots and alerts are the original's.
 *
 * @param reason why the run is excluded (not blank)
 * @param actor  who excluded it (not blank)
 * @param since  when it was excluded
 */
public record RunExclusion(String reason, String actor, Instant since) {
    /** The field a result carries it in. */
    public static final String FIELD = "excluded";
    /** The fields of its object. */
    public static final List<String> FIELDS = List.of("reason", "actor", "since");

    /**
     * The {@value #FIELD} field of a result object, validated; {@code null} when it is absent or {@code null} (the
     * run is not excluded), or when it has problems, which are added to {@code problems} as {@code excluded.FIELD}.
     */
    public static RunExclusion of(JsonNode result, List<Problem> problems) {
        JsonNode x = result == null ? null : result.get(FIELD);
        if (x == null || x.isNull()) {
            return null;
        }
        if (!x.isObject()) {
            problems.add(Problem.of(FIELD, "must be a JSON object {\"reason\": ..., \"actor\": ..., \"since\": ...} "
                    + "(as an export writes an excluded run), got " + ResultJson.kind(x)));
            return null;
        }
        int before = problems.size();
        x.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                problems.add(Problem.of(FIELD + "." + TextRules.visible(f), "unknown field (allowed: "
                        + String.join(", ", FIELDS) + ")"));
            }
        });
        String reason = text(x, "reason", "why the run is excluded", problems);
        String actor = text(x, "actor", "who excluded the run", problems);
        Instant since = null;
        JsonNode s = x.get("since");
        if (s == null || s.isNull() || !s.isTextual()) {
            problems.add(Problem.of(FIELD + ".since", "must be the ISO-8601 time the run was excluded, got "
                    + ResultJson.kind(s)));
        } else {
            try {
                since = Timestamps.parse(s.asText()).instant();
            } catch (IllegalArgumentException e) {
                problems.add(Problem.of(FIELD + ".since", e.getMessage()));
            }
        }
        return problems.size() == before ? new RunExclusion(reason, actor, since) : null;
    }

    private static String text(JsonNode x, String field, String what, List<Problem> problems) {
        JsonNode v = x.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            problems.add(Problem.of(FIELD + "." + field, "must be text saying " + what + ", got "
                    + (v != null && v.isTextual() ? "blank text" : ResultJson.kind(v))));
            return null;
        }
        return v.asText();
    }
}
