package dev.benchmon.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ValidationException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A result re-sent under its own idempotency key with other values than the stored result holds: refused by
 * {@code ingest_staged_results} (R__ingest_functions.sql), which compares them set-based where it writes, as SQLSTATE
 * 23505 with every such result in the error's DETAIL. Read back here as a {@link ValidationException} naming each
 * result's index, the fields that differ, the stored result's id and series, and what to do; the transaction rolled
 * back, so nothing of the request is stored (API 400, CLI exit 2). This follows the idempotency-key convention that a
 * key reused with a different payload is refused: answering "already present" would acknowledge values that were
 * dropped. A retry (the same values, or fewer) is still answered as already present. Two results of one delivery under
 * one key are compared before the write ({@link OneResultPerRun#require}), which names both: here the database would
 * name the first as stored under an id its rolled-back write had drawn.
 */
final class ResentResults {
    private static final String FUNCTION = "ingest_staged_results";

    private ResentResults() {
    }

    /**
     * The refusal {@code failure} carries, if it is this one.
     *
     * @param offset the index of the chunk's first result in the request
     */
    static Optional<ValidationException> refusal(Throwable failure, int offset) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PSQLException p && "23505".equals(p.getSQLState()) && p.getServerErrorMessage() != null) {
                return refusal(p.getServerErrorMessage(), offset);
            }
        }
        return Optional.empty();
    }

    private static Optional<ValidationException> refusal(ServerErrorMessage error, int offset) {
        if (error.getWhere() == null || !error.getWhere().contains(FUNCTION) || error.getDetail() == null) {
            return Optional.empty();
        }
        JsonNode changed;
        try {
            changed = ResultJson.mapper().readTree(error.getDetail());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        List<ValidationException.Problem> problems = new ArrayList<>();
        for (JsonNode c : changed) {
            List<String> fields = new ArrayList<>();
            c.path("fields").forEach(f -> fields.add(f.asText()));
            problems.add(new ValidationException.Problem(offset + c.path("ordinal").asInt() - 1, fields.get(0),
                    "result id " + c.path("transaction_id").asLong() + " (" + c.path("series").asText() + ") is already "
                            + "stored under this idempotency_key, with other " + String.join(", ", fields) + " than sent. "
                            + "A key re-sent with other values is refused, as answering \"already present\" would drop "
                            + "them: send this result with another idempotency_key"));
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(new ValidationException(problems));
    }
}
