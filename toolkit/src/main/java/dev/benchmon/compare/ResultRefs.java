package dev.benchmon.compare;

import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import org.jdbi.v3.core.Jdbi;

import java.util.List;

/** What a user calls a result on the command line or in a URL: a transaction id, else a CI run id. */
public final class ResultRefs {
    private ResultRefs() {
    }

    /**
     * The transaction id {@code reference} names: {@code 123} or {@code #123} when such a result exists, else the one
     * result whose {@code run_id} is {@code reference} (on {@code dataset} when given); {@code null} when none.
     *
     * @throws ValidationException when a run id names several results (name the dataset, or use the transaction id)
     */
    public static Long resolve(Jdbi jdbi, String reference, String dataset) {
        String ref = reference.trim();
        String digits = ref.startsWith("#") ? ref.substring(1) : ref;
        if (digits.matches("\\d{1,18}")) {
            long id = Long.parseLong(digits);
            boolean exists = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions WHERE id = :id")
                    .bind("id", id).mapTo(Long.class).one()) > 0;
            if (exists) {
                return id;
            }
        }
        List<Long> ids = jdbi.withHandle(h -> h.createQuery("SELECT id FROM benchmark_transactions WHERE run_id = :r "
                        + "AND (CAST(:d AS text) IS NULL OR dataset_version = :d) ORDER BY run_at DESC, id DESC LIMIT 11")
                .bind("r", ref).bind("d", dataset).mapTo(Long.class).list());
        if (ids.size() > 1) {
            throw new ValidationException(Problem.of("result", "run id '" + ref + "' names " + (ids.size() > 10 ? "more than 10"
                    : ids.size()) + " results " + ids.subList(0, Math.min(10, ids.size())) + "; name the dataset (--dataset) "
                    + "or give a transaction id"));
        }
        return ids.isEmpty() ? null : ids.get(0);
    }
}
