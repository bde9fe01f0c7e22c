package dev.benchmon.compare;

import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.query.SnapshotQuery;
import org.jdbi.v3.core.Jdbi;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a user calls a result on the command line or in a URL: a model version (its latest result), a result id (the
 * transaction id it is stored under: {@code 123}, {@code #123}) or a CI run id ({@code run:555}, or {@code 555} when no
 * result has that id). Messages name a stored result {@code result id 123}, as a comparison's output does; {@code #123}
 * is input syntax only.
 * A model version's results are those that count: an excluded run is neither its latest result nor makes it, its
 * dataset versions or environments a choice (a series whose every run is excluded has no current value, as
 * {@link SnapshotQuery} answers); a result id or run id still names any result, excluded or not. A run id names the
 * latest attempt of each of its results (a CI re-run supersedes the earlier attempt, as in every query); a result id
 * names any attempt.
 */
public final class ResultRefs {
    /** A snapshot ({@code s}) of a series with a run that counts. */
    private static final String COUNTS = SnapshotQuery.notExcluded("s.transaction_id");

    private ResultRefs() {
    }

    /**
     * The newest result that counts of model {@code :m} on dataset version {@code :d} (in environment {@code :e} when
     * not null), one with per-example outcomes first: per series of those names, the newest result (the log's series
     * index, read backwards to the first that is not excluded) and, for a series that has outcomes at all, the newest
     * result with outcomes (read backwards in the same way until one has them, or through the outcomes' own rows).
     * Ordering every result of the model by "has outcomes" first read them all (11,000 a series at ten million
     * results); a series without outcomes now costs one probe of theirs.
     */
    private static final String LATEST_OF_MODEL = """
            SELECT x.id FROM series s
            CROSS JOIN LATERAL (
                (SELECT t.id, t.run_at, 0 AS rank FROM example_outcomes e
                 JOIN benchmark_log t ON t.id = e.transaction_id AND t.series_id = e.series_id
                 WHERE e.series_id = s.id AND %1$s
                   AND EXISTS (SELECT 1 FROM example_outcomes o WHERE o.series_id = s.id)
                 ORDER BY t.run_at DESC, t.id DESC LIMIT 1)
                UNION ALL
                (SELECT t.id, t.run_at, 1 FROM benchmark_log t
                 WHERE t.series_id = s.id AND %1$s
                 ORDER BY t.run_at DESC, t.id DESC LIMIT 1)) x
            WHERE s.model_version = :m AND s.dataset_version = :d AND (CAST(:e AS text) IS NULL OR s.environment = :e)
            ORDER BY x.rank, x.run_at DESC, x.id DESC LIMIT 1""".formatted(SnapshotQuery.notExcluded("t.id"));

    /**
     * The result a comparison argument names: for a model version, its latest result that is not excluded (on
     * {@code dataset} and in {@code environment} when given), preferring results with examples; otherwise
     * {@link #resolve}. {@code field} is the parameter {@code reference} came in ({@code a}, {@code b}): a refusal of
     * the reference itself (a run id of several results, a model with only excluded runs) names it, as the user gave
     * it, not the kind of thing it turned out to be.
     *
     * @throws ValidationException  when a model has results on several dataset versions and none is named, or only
     *                              excluded runs (naming {@code field})
     * @throws dev.benchmon.UnknownNameException when it names neither a model nor a result
     */
    public static long forComparison(Jdbi jdbi, String reference, String dataset, String environment, String field) {
        String ref = reference.trim();
        List<String> datasets = datasets(jdbi, ref, environment);
        if (!datasets.isEmpty()) {
            if (dataset == null && datasets.size() > 1) {
                throw new dev.benchmon.InvalidArgumentException(Problem.of("dataset", "model '" + ref + "' has results on several dataset "
                        + "versions (" + String.join(", ", datasets) + "); name the dataset version"));
            }
            String d = dataset != null ? dataset : datasets.get(0);
            List<Long> latest = jdbi.withHandle(h -> h.createQuery(LATEST_OF_MODEL)
                    .bind("m", ref).bind("d", d).bind("e", environment).mapTo(Long.class).list());
            if (latest.isEmpty()) {
                throw new dev.benchmon.InvalidArgumentException(Problem.of("dataset", "model '" + ref + "' has no result on dataset version '"
                        + d + "' (it has: " + String.join(", ", datasets) + ")"));
            }
            return latest.get(0);
        }
        Long id = resolve(jdbi, ref, dataset, field);
        if (id == null && environment != null && !namesResultOnly(ref) && !datasets(jdbi, ref, null).isEmpty()) {
            // A model with runs that count, none of them in this environment: named as such, not as no model at all
            // (which listed the model among the known ones).
            List<String> environments = jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT s.environment FROM "
                    + "benchmark_snapshots s WHERE s.model_version = :m AND " + COUNTS + " ORDER BY 1")
                    .bind("m", ref).mapTo(String.class).list());
            throw new dev.benchmon.InvalidArgumentException(Problem.of("environment", "model '" + ref + "' has no result in "
                    + "environment '" + environment + "' (it has results in: " + String.join(", ", environments) + ")"));
        }
        if (id == null && !namesResultOnly(ref) && onlyExcluded(jdbi, ref, environment)) {
            throw new dev.benchmon.InvalidArgumentException(Problem.of(field, "model '" + ref + "' has no run that counts"
                    + (environment == null ? "" : " in environment '" + environment + "'") + ": every run of it is"
                    + " excluded (include one again, or name one of its results by its result id, #N)"));
        }
        if (id == null) {
            throw unknown(jdbi, ref, dataset);
        }
        return id;
    }

    /**
     * Throws what {@link #forComparison} throws for a {@code reference} that names no model (the caller has found it
     * none) and no stored result: only whether a result with that result id or CI run id (on {@code dataset} when
     * given) is stored, as {@link #resolve} reads the reference, not which of several it names.
     *
     * @throws dev.benchmon.UnknownNameException when no stored result has it
     */
    public static void requireResult(Jdbi jdbi, String reference, String dataset) {
        String ref = reference.trim();
        String digits = ref.startsWith("#") ? ref.substring(1) : ref;
        boolean stored = ref.startsWith(RUN_PREFIX) ? !runIds(jdbi, ref.substring(RUN_PREFIX.length()), dataset).isEmpty()
                : digits.matches("\\d{1,18}") && stored(jdbi, Long.parseLong(digits)) || !runIds(jdbi, ref, dataset).isEmpty();
        if (!stored) {
            throw unknown(jdbi, ref, dataset);
        }
    }

    /** Whether {@code ref} is a result's syntax ({@code #123}, {@code run:555}): refused as a result none has. */
    private static boolean namesResultOnly(String ref) {
        return ref.matches("#\\d{1,18}") || ref.startsWith(RUN_PREFIX);
    }

    /** The refusal of {@code ref}, which names neither a model nor a stored result (on {@code dataset} when given). */
    private static dev.benchmon.UnknownNameException unknown(Jdbi jdbi, String ref, String dataset) {
        if (ref.matches("#\\d{1,18}")) { // names a result, not a model: listing models would not help
            return new dev.benchmon.UnknownNameException("result", ref, noResultId(ref.substring(1)));
        }
        if (ref.startsWith(RUN_PREFIX)) {
            return new dev.benchmon.UnknownNameException("result", ref, "no stored result has CI run id "
                    + ref.substring(RUN_PREFIX.length()) + (dataset == null ? "" : " on dataset version '" + dataset + "'"));
        }
        List<String> models = jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT s.model_version FROM benchmark_snapshots s "
                + "WHERE " + COUNTS + " ORDER BY 1 LIMIT 50").mapTo(String.class).list());
        return new dev.benchmon.UnknownNameException("model or result", ref, models);
    }

    /**
     * The result id (transaction id) {@code reference} names: {@code 123} or {@code #123} when such a result exists, else the one
     * result whose {@code run_id} is {@code reference} (on {@code dataset} when given; its latest attempt: an attempt a
     * re-run superseded is not counted); {@code run:555} names a run id
     * only; {@code null} when none.
     *
     * @throws ValidationException when a run id names several results (name the dataset, or use the result id),
     *                             or a bare number is both a result id and another result's run id
     */
    public static Long resolve(Jdbi jdbi, String reference, String dataset) {
        return resolve(jdbi, reference, dataset, "result");
    }

    /** {@link #resolve(Jdbi, String, String)}, its refusals naming {@code field}, the parameter the reference came in. */
    private static Long resolve(Jdbi jdbi, String reference, String dataset, String field) {
        String ref = reference.trim();
        if (ref.startsWith(RUN_PREFIX)) {
            return byRunId(jdbi, ref.substring(RUN_PREFIX.length()), dataset, field);
        }
        String digits = ref.startsWith("#") ? ref.substring(1) : ref;
        if (digits.matches("\\d{1,18}")) {
            long id = Long.parseLong(digits);
            boolean exists = stored(jdbi, id);
            if (exists && !ref.startsWith("#")) {
                // CI build numbers are small numbers too: a bare number that is also another result's run id could
                // mean either, and comparing the wrong result looks just like comparing the right one.
                List<Long> run = runIds(jdbi, ref, dataset);
                if (!run.isEmpty() && !run.equals(List.of(id))) {
                    throw new dev.benchmon.InvalidArgumentException(Problem.of(field, "'" + ref + "' is both result id "
                            + id + " and CI run " + ref + " (" + resultIds(run) + "); write #" + id + " for result id " + id
                            + " or " + RUN_PREFIX + ref + " for the CI run"));
                }
            }
            if (exists) {
                return id;
            }
        }
        return byRunId(jdbi, ref, dataset, field);
    }

    /** Whether a result is stored under result id (transaction id) {@code id}. */
    private static boolean stored(Jdbi jdbi, long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions WHERE id = :id")
                .bind("id", id).mapTo(Long.class).one()) > 0;
    }

    /** The prefix that makes a reference a CI run id only ({@code run:555}), never a transaction id. */
    public static final String RUN_PREFIX = "run:";

    private static Long byRunId(Jdbi jdbi, String ref, String dataset, String field) {
        List<Long> ids = runIds(jdbi, ref, dataset);
        if (ids.size() > 1) {
            List<Long> shown = ids.subList(0, Math.min(10, ids.size()));
            throw new dev.benchmon.InvalidArgumentException(Problem.of(field, "run id '" + ref + "' names " + (ids.size() > 10 ? "more than 10"
                    : ids.size()) + " results (" + resultIds(shown) + (ids.size() > 10 ? ", ..." : "") + ")"
                    + differing(jdbi, shown) + "; give a result id (" + String.join(" or ", shown.stream().limit(3)
                    .map(id -> "#" + id).toList()) + (shown.size() > 3 ? ", ..." : "") + ")"
                    + (dataset == null && distinct(jdbi, shown, "dataset_version") > 1 ? ", or name the dataset version" : "")));
        }
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * What tells results {@code ids} apart, for a run id they share: {@code , of models m1, m2} (each of model, dataset
     * version, prompt version and environment whose values differ, with those values); empty when none differs (attempts
     * of one run).
     */
    private static String differing(Jdbi jdbi, List<Long> ids) {
        List<String> parts = new java.util.ArrayList<>();
        for (String[] column : new String[][] {{"model_version", "models"}, {"dataset_version", "dataset versions"},
                {"prompt_version", "prompt versions"}, {"environment", "environments"}}) {
            List<String> values = values(jdbi, ids, column[0]);
            if (values.size() > 1) {
                parts.add(column[1] + " " + String.join(", ", values));
            }
        }
        return parts.isEmpty() ? "" : ", of " + String.join("; ", parts);
    }

    private static int distinct(Jdbi jdbi, List<Long> ids, String column) {
        return values(jdbi, ids, column).size();
    }

    /** The distinct values of {@code column} (one of the series' names, never user input) among results {@code ids}. */
    private static List<String> values(Jdbi jdbi, List<Long> ids, String column) {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT " + column + " FROM benchmark_transactions "
                        + "WHERE id = ANY (CAST(:ids AS bigint[])) ORDER BY 1")
                .bind("ids", ids.toArray(Long[]::new)).mapTo(String.class).list());
    }

    /**
     * Up to 11 results with this run id (on {@code dataset} when given), newest first: the latest attempt of each, as
     * every query reads a CI run (INPUT.md): a re-run's earlier attempt is superseded, so a run re-run once still names
     * one result per series, not two (its earlier attempt stays reachable by its result id).
     */
    private static List<Long> runIds(Jdbi jdbi, String runId, String dataset) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM benchmark_results_current WHERE run_id = :r "
                        + "AND (CAST(:d AS text) IS NULL OR dataset_version = :d) ORDER BY run_at DESC, id DESC LIMIT 11")
                .bind("r", runId).bind("d", dataset).mapTo(Long.class).list());
    }

    /** {@code result id 7}, or {@code result ids 7, 9}: stored results as a comparison's output names them. */
    private static String resultIds(List<Long> ids) {
        return "result id" + (ids.size() > 1 ? "s " : " ") + String.join(", ", ids.stream().map(String::valueOf).toList());
    }

    /** Why a result id names nothing: {@code no result id 99999 is stored}. */
    static String noResultId(String id) {
        return "no result id " + id + " is stored";
    }

    /** The dataset versions {@code model} has results that count on (in {@code environment} when given), by name. */
    private static List<String> datasets(Jdbi jdbi, String model, String environment) {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT s.dataset_version FROM benchmark_snapshots s "
                        + "WHERE s.model_version = :m AND (CAST(:e AS text) IS NULL OR s.environment = :e) AND " + COUNTS
                        + " ORDER BY 1")
                .bind("m", model).bind("e", environment).mapTo(String.class).list());
    }

    /**
     * Whether {@code model} has a series (in {@code environment} when given), any: asked when none of them has a run
     * that counts ({@link #datasets} is empty), so every run of the model there is excluded.
     */
    private static boolean onlyExcluded(Jdbi jdbi, String model, String environment) {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM benchmark_snapshots s "
                        + "WHERE s.model_version = :m AND (CAST(:e AS text) IS NULL OR s.environment = :e))")
                .bind("m", model).bind("e", environment).mapTo(Boolean.class).one());
    }

    /** A dataset version and an environment. */
    public record Shared(String dataset, String environment) {
    }

    /**
     * The dataset versions and environments both model versions have results that count on (only {@code dataset} and
     * {@code environment} when given), the one where both have a recent result first (by the older of their two
     * latest results); empty when either is not a model version or they share none.
     */
    public static List<Shared> shared(Jdbi jdbi, String modelA, String modelB, String dataset, String environment) {
        return jdbi.withHandle(h -> h.createQuery("""
                        WITH latest AS (
                            SELECT s.model_version, s.dataset_version, s.environment, max(s.run_at) AS at
                            FROM benchmark_snapshots s
                            WHERE s.model_version IN (:a, :b) AND (CAST(:d AS text) IS NULL OR s.dataset_version = :d)
                              AND (CAST(:e AS text) IS NULL OR s.environment = :e) AND <counts>
                            GROUP BY 1, 2, 3)
                        SELECT a.dataset_version, a.environment FROM latest a
                        JOIN latest b USING (dataset_version, environment)
                        WHERE a.model_version = :a AND b.model_version = :b
                        ORDER BY least(a.at, b.at) DESC, 1, 2""".replace("<counts>", COUNTS))
                .bind("a", modelA.trim()).bind("b", modelB.trim()).bind("d", dataset).bind("e", environment)
                .map((rs, ctx) -> new Shared(rs.getString(1), rs.getString(2))).list());
    }

    /**
     * Those of {@code models} that have results that count on a dataset version and in an environment where
     * {@code model} has such results too (only {@code dataset} and {@code environment} when given): the ones it can be compared with item by item.
     */
    public static Set<String> sharingWith(Jdbi jdbi, String model, List<String> models, String dataset, String environment) {
        return new HashSet<>(jdbi.withHandle(h -> h.createQuery("""
                        SELECT DISTINCT o.model_version FROM benchmark_snapshots r
                        JOIN benchmark_snapshots o USING (dataset_version, environment)
                        WHERE r.model_version = :m AND o.model_version = ANY (CAST(:models AS text[]))
                          AND (CAST(:d AS text) IS NULL OR r.dataset_version = :d)
                          AND (CAST(:e AS text) IS NULL OR r.environment = :e)
                          AND <r counts> AND <o counts>"""
                        .replace("<r counts>", SnapshotQuery.notExcluded("r.transaction_id"))
                        .replace("<o counts>", SnapshotQuery.notExcluded("o.transaction_id")))
                .bind("m", model).bind("models", models.toArray(String[]::new)).bind("d", dataset).bind("e", environment)
                .mapTo(String.class).list()));
    }

    /**
     * The environment to compare two model versions in when none is named, so that like is compared with like: the
     * one both have results in on {@code dataset} (when {@code null}: on the one dataset version both have).
     * {@code null} when there is none to choose: A or B is not a model version, their dataset versions are not one
     * and the same ({@link #forComparison} says so), or they share no environment (each gives its latest result and
     * {@link RunComparison#warnings()} names the environments).
     *
     * @throws ValidationException when they share several environments
     */
    public static String sharedEnvironment(Jdbi jdbi, String a, String b, String dataset) {
        String d = dataset;
        if (d == null) {
            List<String> da = datasets(jdbi, a.trim(), null);
            if (da.size() != 1 || !da.equals(datasets(jdbi, b.trim(), null))) {
                return null;
            }
            d = da.get(0);
        }
        List<String> environments = shared(jdbi, a, b, d, null).stream().map(Shared::environment).toList();
        if (environments.size() > 1) {
            throw new dev.benchmon.InvalidArgumentException(Problem.of("environment", "'" + a.trim() + "' and '" + b.trim() + "' both have "
                    + "results on '" + d + "' in several environments (" + String.join(", ", environments.stream().sorted()
                    .toList()) + "); name the environment to compare like with like"));
        }
        return environments.isEmpty() ? null : environments.get(0);
    }
}
