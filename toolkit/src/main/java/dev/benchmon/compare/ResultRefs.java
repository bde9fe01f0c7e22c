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
     * The result a comparison argument names: for a model version, its latest result (on {@code dataset} and in
     * {@code environment} when given), preferring results with examples; otherwise {@link #resolve}.
     *
     * @throws ValidationException  when a model has results on several dataset versions and none is named
     * @throws dev.benchmon.UnknownNameException when it names neither a model nor a result
     */
    public static long forComparison(Jdbi jdbi, String reference, String dataset, String environment) {
        String ref = reference.trim();
        List<String> datasets = jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT dataset_version FROM benchmark_snapshots "
                        + "WHERE model_version = :m AND (CAST(:e AS text) IS NULL OR environment = :e) ORDER BY 1")
                .bind("m", ref).bind("e", environment).mapTo(String.class).list());
        if (!datasets.isEmpty()) {
            if (dataset == null && datasets.size() > 1) {
                throw new ValidationException(Problem.of("dataset", "model '" + ref + "' has results on several dataset "
                        + "versions (" + String.join(", ", datasets) + "); name one"));
            }
            String d = dataset != null ? dataset : datasets.get(0);
            List<Long> latest = jdbi.withHandle(h -> h.createQuery("SELECT t.id FROM benchmark_transactions t "
                            + "LEFT JOIN example_outcomes e ON e.transaction_id = t.id "
                            + "WHERE t.model_version = :m AND t.dataset_version = :d "
                            + "AND (CAST(:e AS text) IS NULL OR t.environment = :e) "
                            + "ORDER BY (e.transaction_id IS NOT NULL) DESC, t.run_at DESC, t.id DESC LIMIT 1")
                    .bind("m", ref).bind("d", d).bind("e", environment).mapTo(Long.class).list());
            if (latest.isEmpty()) {
                throw new ValidationException(Problem.of("dataset", "model '" + ref + "' has no result on dataset version '"
                        + d + "' (it has: " + String.join(", ", datasets) + ")"));
            }
            return latest.get(0);
        }
        Long id = resolve(jdbi, ref, dataset);
        if (id == null) {
            List<String> models = jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT model_version FROM benchmark_snapshots "
                    + "ORDER BY 1 LIMIT 50").mapTo(String.class).list());
            throw new dev.benchmon.UnknownNameException("model or result", ref, models);
        }
        return id;
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
