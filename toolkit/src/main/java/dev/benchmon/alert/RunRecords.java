package dev.benchmon.alert;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.benchmon.Filter;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.query.CurrentLogSql;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads for the series and run pages: a series by id, its runs (the latest attempt of each) with their context and
 * exclusion, one run (any attempt), and the baseline a run is compared with (the mean of the previous runs that are
 * not excluded).
 */
public final class RunRecords {
    /** One series. */
    public record SeriesInfo(int id, String modelVersion, String datasetVersion, String promptVersion, String environment) {
        /** {@code model / dataset / prompt @environment} */
        public String label() {
            return dev.benchmon.SeriesLabel.of(modelVersion, datasetVersion, promptVersion, environment);
        }
    }

    /**
     * One run of a series with its context.
     *
     * @param excludedReason why it is excluded, or {@code null} when it is not
     * @param stderr         the standard errors the result carried, by metric (empty when none)
     */
    public record Run(long id, int seriesId, Instant runAt, Instant recordedAt, String commitSha, String runId,
                      String branch, String triggeredBy, Map<String, String> tags, String notes, String modelProvider,
                      Map<String, Double> metrics, String excludedReason, Map<String, Double> stderr) {
        public Run {
            stderr = stderr == null ? Map.of() : stderr;
        }

        /** A run without standard errors (the constructor before {@code stderr}). */
        public Run(long id, int seriesId, Instant runAt, Instant recordedAt, String commitSha, String runId,
                   String branch, String triggeredBy, Map<String, String> tags, String notes, String modelProvider,
                   Map<String, Double> metrics, String excludedReason) {
            this(id, seriesId, runAt, recordedAt, commitSha, runId, branch, triggeredBy, tags, notes, modelProvider,
                    metrics, excludedReason, Map.of());
        }

        public boolean excluded() {
            return excludedReason != null;
        }
    }

    /**
     * A CI run's attempt that a re-run superseded (V4: the log keeps it; the series, its baselines and detection use the
     * latest attempt only).
     *
     * @param attempt       this attempt's number (1, 2, ...)
     * @param latestAttempt the run's latest attempt number
     * @param latestId      the log row (transaction id) of the latest attempt, the run the series shows instead
     */
    public record Superseded(int attempt, int latestAttempt, long latestId) {
    }

    private static final String RUN_COLUMNS = """
            t.id, s.id AS series_id, t.run_at, t.recorded_at, t.commit_sha, t.run_id, t.branch, t.triggered_by,
            t.tags::text AS tags, t.notes, t.model_provider, t.metrics::text AS metrics, x.reason AS excluded_reason,
            t.stderr::text AS stderr
            FROM benchmark_transactions t
            JOIN series s ON s.id = t.series_id
            LEFT JOIN excluded_runs x ON x.transaction_id = t.id""";

    private final Jdbi jdbi;

    public RunRecords(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<SeriesInfo> series(int id) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, model_version, dataset_version, prompt_version, environment FROM series WHERE id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new SeriesInfo(rs.getInt("id"), rs.getString("model_version"),
                        rs.getString("dataset_version"), rs.getString("prompt_version"), rs.getString("environment")))
                .findOne());
    }

    /** Every series id by its label ({@code model / dataset / prompt @environment}). */
    public Map<String, Integer> seriesIds() {
        Map<String, Integer> out = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT id, model_version, dataset_version, prompt_version, environment FROM series")
                .map((rs, ctx) -> new SeriesInfo(rs.getInt("id"), rs.getString("model_version"),
                        rs.getString("dataset_version"), rs.getString("prompt_version"), rs.getString("environment")))
                .forEach(si -> out.put(si.label(), si.id())));
        return out;
    }

    /**
     * The series' runs, newest first (at most {@code limit}), through the log's per-series index: the latest attempt
     * of each CI run, the rows {@code benchmark_results_current} and the history API hold, read as the history of one
     * series reads them ({@link CurrentLogSql}). An attempt a re-run superseded stays in the log; {@link #run} reads it.
     */
    public List<Run> runs(SeriesInfo series, int limit) {
        CurrentLogSql current = CurrentLogSql.of(Filter.all().withModels(series.modelVersion())
                .withDatasets(series.datasetVersion()).withPrompts(series.promptVersion())
                .withEnvironments(series.environment()), "t");
        return jdbi.withHandle(h -> current.bind(h.createQuery(current.with() + "SELECT "
                        + RUN_COLUMNS + current.where() + " ORDER BY t.run_at DESC, t.id DESC LIMIT :limit"))
                .bind("limit", limit)
                .map((rs, ctx) -> run(rs)).list());
    }

    public Optional<Run> run(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS + " WHERE t.id = :id").bind("id", id)
                .map((rs, ctx) -> run(rs)).findOne());
    }

    /**
     * Whether a later attempt of the same CI run (same {@code run_key}: series, run id and run time) superseded log
     * row {@code id}, and by which; empty for the latest attempt, a row without a run id, or an unknown id.
     */
    public Optional<Superseded> supersededBy(long id) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT t.attempt, l.attempt AS latest_attempt, l.id AS latest_id
                        FROM benchmark_transactions t
                        CROSS JOIN LATERAL (SELECT p.id, p.attempt FROM benchmark_transactions p
                                            WHERE p.run_key = t.run_key AND p.attempt > t.attempt
                                            ORDER BY p.attempt DESC, p.id LIMIT 1) l
                        WHERE t.id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new Superseded(rs.getInt("attempt"), rs.getInt("latest_attempt"), rs.getLong("latest_id")))
                .findOne());
    }

    private static Run run(ResultSet rs) throws SQLException {
        return new Run(rs.getLong("id"), rs.getInt("series_id"), rs.getTimestamp("run_at").toInstant(),
                rs.getTimestamp("recorded_at").toInstant(), rs.getString("commit_sha"), rs.getString("run_id"),
                rs.getString("branch"), rs.getString("triggered_by"),
                read(rs.getString("tags"), new TypeReference<LinkedHashMap<String, String>>() { }),
                rs.getString("notes"), rs.getString("model_provider"),
                read(rs.getString("metrics"), new TypeReference<TreeMap<String, Double>>() { }),
                rs.getString("excluded_reason"),
                rs.getString("stderr") == null ? Map.of() : ResultJson.readMetrics(rs.getString("stderr")));
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return ResultJson.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
