package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.alert.Links;
import dev.benchmon.server.Tokens;
import dev.benchmon.server.alert.AlertEndpoints;
import dev.benchmon.server.alert.AlertSettings;
import dev.benchmon.server.alert.Alerting;

import dev.benchmon.ValidationException;
import dev.benchmon.server.api.errors.ApiException;
import dev.benchmon.server.api.errors.ErrorDetail;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where {@code benchmon alerts} lists and triages: a server's alert API, or (with {@code --db} / {@code --home}) the
 * database directly. Both take the API's requests and give its answers, so each command reads one way; the database
 * side runs the server's own handlers ({@link AlertEndpoints}) for the same checks and the same JSON.
 */
interface AlertService extends AutoCloseable {
    /** {@code GET /api/v1/alerts} with these query parameters. */
    JsonNode list(Map<String, List<String>> query);

    /** {@code GET /api/v1/alerts/{id}}: the alert and its history. */
    JsonNode get(long alertId);

    /** {@code POST /api/v1/alerts/{id}/state}. */
    JsonNode setState(long alertId, ObjectNode body);

    /** {@code POST /api/v1/runs/{id}/annotations}. */
    JsonNode annotate(long run, ObjectNode body);

    /** {@code POST /api/v1/series/{id}/mutes}. */
    JsonNode mute(int seriesId, ObjectNode body);

    /** {@code POST /api/v1/series/{id}/unmute}. */
    JsonNode unmute(int seriesId, ObjectNode body);

    /** {@code POST /api/v1/alerts/{id}/unmute}. */
    JsonNode unmuteAlert(long alertId, ObjectNode body);

    @Override
    void close();

    /** A server, over HTTP. */
    record Server(PushClient client) implements AlertService {
        @Override
        public JsonNode list(Map<String, List<String>> query) {
            return client.getJson("api/v1/alerts?" + ExportCommand.query(query).substring(1));
        }

        @Override
        public JsonNode get(long alertId) {
            return client.getJson("api/v1/alerts/" + alertId);
        }

        @Override
        public JsonNode setState(long alertId, ObjectNode body) {
            return client.post("api/v1/alerts/" + alertId + "/state", body.toString());
        }

        @Override
        public JsonNode annotate(long run, ObjectNode body) {
            return client.post("api/v1/runs/" + run + "/annotations", body.toString());
        }

        @Override
        public JsonNode mute(int seriesId, ObjectNode body) {
            return client.post("api/v1/series/" + seriesId + "/mutes", body.toString());
        }

        @Override
        public JsonNode unmute(int seriesId, ObjectNode body) {
            return client.post("api/v1/series/" + seriesId + "/unmute", body.toString());
        }

        @Override
        public JsonNode unmuteAlert(long alertId, ObjectNode body) {
            return client.post("api/v1/alerts/" + alertId + "/unmute", body.toString());
        }

        @Override
        public void close() {
            // HTTP: nothing held open
        }
    }

    /**
     * A database, opened by the command and closed with it. A refusal of an option's value is said as the server's
     * answer reads through {@link PushClient#naming}: naming the option ({@code names}), as a command line's error.
     */
    record Database(Alerting alerting, AlertEndpoints endpoints, OptionNames names) implements AlertService {
        Database(Benchmon benchmon, Map<String, String> env, OptionNames names) {
            this(alerting(benchmon, env), names);
        }

        private Database(Alerting alerting, OptionNames names) {
            this(alerting, new AlertEndpoints(alerting), names);
        }

        /**
         * The handler's answer; its refusal of an option's value reworded to name the option (and, for a change, to say
         * that nothing was stored, as a server's refusal is said).
         */
        private JsonNode named(Supplier<JsonNode> handler, boolean change) {
            List<ErrorDetail> problems;
            RuntimeException refusal;
            try {
                return handler.get();
            } catch (ApiException e) {
                if (e.getStatus() != 400) {
                    // a 404 (no such run) or a 409 (the alert's or run's state, whose message says what to do instead):
                    // no option's value was wrong, so it is said as it is, not as "invalid RUN: ..."
                    String next = UnknownIds.nextStep(e.getMessage());
                    throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage() + (next == null ? "" : "\n" + next));
                }
                problems = e.problems();
                refusal = e;
            } catch (ValidationException e) {
                problems = e.problems().stream().map(ErrorDetail::of).toList();
                refusal = e;
            }
            String reworded = names.refusal(problems);
            if (reworded == null) {
                throw refusal;
            }
            throw new CliException(ExitCodes.INVALID_INPUT, reworded + (!change ? ""
                    : "\nNothing was stored; fix the problem above and run the command again."));
        }

        /**
         * Alerting where no server runs: links from BENCHMON_REPO_URL / BENCHMON_CI_URL, a dashboard link only when
         * BENCHMON_PUBLIC_URL names the dashboard, and no notification channels (a command line sends none, as
         * {@code push --db} does not). Close it after use.
         */
        static Alerting alerting(Benchmon benchmon, Map<String, String> env) {
            String dashboard = env.get("BENCHMON_PUBLIC_URL");
            String base = dashboard != null && !dashboard.endsWith("/") ? dashboard + "/" : dashboard;
            return new Alerting(benchmon, AlertSettings.none().withLinks(new Links(env.get(Links.REPO_URL),
                    env.get(Links.CI_URL))), () -> base, Tokens.none());
        }

        @Override
        public JsonNode list(Map<String, List<String>> query) {
            return named(() -> endpoints.list(query), false);
        }

        @Override
        public JsonNode get(long alertId) {
            return named(() -> endpoints.get(alertId), false);
        }

        @Override
        public JsonNode setState(long alertId, ObjectNode body) {
            return named(() -> endpoints.setState(alertId, body), true);
        }

        @Override
        public JsonNode annotate(long run, ObjectNode body) {
            return named(() -> endpoints.annotate(run, body), true);
        }

        @Override
        public JsonNode mute(int seriesId, ObjectNode body) {
            return named(() -> endpoints.mute(seriesId, body), true);
        }

        @Override
        public JsonNode unmute(int seriesId, ObjectNode body) {
            return named(() -> endpoints.unmute(seriesId, body), true);
        }

        @Override
        public JsonNode unmuteAlert(long alertId, ObjectNode body) {
            return named(() -> endpoints.unmuteAlert(alertId, body), true);
        }

        @Override
        public void close() {
            try (Benchmon benchmon = alerting.benchmon()) {
                alerting.close();
            }
        }
    }
}
