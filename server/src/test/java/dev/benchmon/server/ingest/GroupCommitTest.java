package dev.benchmon.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Single-result POSTs from many clients at once, over HTTP: grouped into shared commits, answered as if alone. */
class GroupCommitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @SharedServer
    private static TestServer server;

    private static String result(String model, String runId, double f1) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"gc\",\"run_id\":\"" + runId
                + "\",\"metrics\":{\"f1\":" + f1 + "}}";
    }

    private static List<HttpResponse<String>> concurrently(List<String> bodies) throws Exception {
        return server.postJsonConcurrently("/api/v1/results", bodies);
    }

    private static long count(String sql) {
        return server.benchmon().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void concurrent_posts_are_each_stored_once_and_answered_with_their_own_id() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            bodies.add(result("gc-" + (i % 5), "run-" + i, 0.5 + (i % 10) / 100.0));
        }
        List<HttpResponse<String>> answers = concurrently(bodies);
        List<Long> ids = new ArrayList<>();
        for (HttpResponse<String> r : answers) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode only = JSON.readTree(r.body()).get("results");
            assertThat(only).hasSize(1);
            assertThat(only.get(0).get("index").asInt()).isZero();
            assertThat(only.get(0).get("status").asText()).isEqualTo("created");
            ids.add(only.get(0).get("id").asLong());
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(count("SELECT count(*) FROM benchmark_transactions WHERE model_version LIKE 'gc-%'")).isEqualTo(160);
        // The same 160 again (retries of acknowledged posts): nothing new, each answered with the stored id.
        List<HttpResponse<String>> again = concurrently(bodies);
        for (int i = 0; i < again.size(); i++) {
            JsonNode only = JSON.readTree(again.get(i).body()).get("results").get(0);
            assertThat(only.get("status").asText()).isEqualTo("already_present");
            assertThat(only.get("id").asLong()).isEqualTo(ids.get(i));
        }
        assertThat(count("SELECT count(*) FROM benchmark_transactions WHERE model_version LIKE 'gc-%'")).isEqualTo(160);
    }

    @Test
    void re_runs_of_one_ci_run_sent_at_once_stay_separate_attempts() throws Exception {
        // Four different results for the same run_id of one series: grouped alone they would share an
        // attempt number; one result per series per group keeps them 1, 2, 3, 4 as if sent in turn.
        List<String> bodies = List.of(result("gc-rerun", "ci-7", 0.71), result("gc-rerun", "ci-7", 0.72),
                result("gc-rerun", "ci-7", 0.73), result("gc-rerun", "ci-7", 0.74));
        concurrently(bodies).forEach(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(201));
        List<Integer> attempts = server.benchmon().jdbi().withHandle(h -> h.createQuery(
                "SELECT attempt FROM benchmark_transactions WHERE model_version = 'gc-rerun' ORDER BY attempt")
                .mapTo(Integer.class).list());
        assertThat(attempts).containsExactly(1, 2, 3, 4);
    }

    @Test
    void an_invalid_post_among_concurrent_ones_fails_alone() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            bodies.add(i == 11 ? "{\"model_version\":\"gc-bad\",\"dataset_version\":\"gc\",\"metrics\":{\"f1\":\"high\"}}"
                    : result("gc-mixed-" + (i % 3), "m-" + i, 0.6));
        }
        List<HttpResponse<String>> answers = concurrently(bodies);
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).statusCode()).as(answers.get(i).body()).isEqualTo(i == 11 ? 400 : 201);
        }
        assertThat(answers.get(11).body()).contains("metrics.f1");
        assertThat(count("SELECT count(*) FROM benchmark_transactions WHERE model_version LIKE 'gc-mixed-%'")).isEqualTo(23);
        assertThat(count("SELECT count(*) FROM benchmark_transactions WHERE model_version = 'gc-bad'")).isZero();
    }

    /**
     * Two single-result POSTs of different series recorded in one group (one transaction), each resolving its series'
     * alert: each answer lists the alert of its own series only, as if sent alone. Recorded together as one batch, each
     * member's report would hold both series' alert changes, and each answer would list both resolved alerts.
     */
    @Test
    void each_post_of_a_group_answers_with_the_alerts_of_its_own_series_only() throws Exception {
        java.time.Instant t = java.time.Instant.now().minus(2, java.time.temporal.ChronoUnit.DAYS)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<String> models = List.of("apart-a", "apart-b"); // not gc-%: another test counts those
        openF1Alerts(models, t);
        List<JsonNode> answers = answersOfOneGroup(t, models.stream()
                .map(m -> timed(m, t.plusSeconds(3600L * 7), 0.9)).toList());
        for (JsonNode answer : answers) {
            String series = answer.get("results").get(0).get("series").asText();
            assertThat(answer.get("alerts")).as(answer.toString()).singleElement().satisfies(alert -> {
                assertThat(alert.get("series").asText()).isEqualTo(series);
                assertThat(alert.get("state").asText()).isEqualTo("resolved");
                assertThat(alert.get("resolved_now").asBoolean()).isTrue();
            });
        }
    }

    /**
     * Two POSTs of one group whose runs still show their series' open alert: each answer lists its own series' alert,
     * open and failing the push, and not the other's. The group reads the alerts its pushes list once for all its
     * members (Ingestion.pushAlertsApart); each member gets its own series' share.
     */
    @Test
    void each_post_of_a_group_lists_the_open_alert_of_its_own_series_only() throws Exception {
        java.time.Instant t = java.time.Instant.now().minus(2, java.time.temporal.ChronoUnit.DAYS)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<String> models = List.of("still-a", "still-b");
        openF1Alerts(models, t);
        List<JsonNode> answers = answersOfOneGroup(t, models.stream()
                .map(m -> timed(m, t.plusSeconds(3600L * 7), 0.5)).toList());
        for (JsonNode answer : answers) {
            String series = answer.get("results").get(0).get("series").asText();
            assertThat(answer.get("alerts")).as(answer.toString()).singleElement().satisfies(alert -> {
                assertThat(alert.get("series").asText()).isEqualTo(series);
                assertThat(alert.get("state").asText()).isEqualTo("open");
                assertThat(alert.get("fails_push").asBoolean()).isTrue();
            });
        }
    }

    /** Six steady runs of each model's series, then a drop: each series' f1 alert opens. */
    private static void openF1Alerts(List<String> models, java.time.Instant t) {
        for (String model : models) {
            for (int i = 0; i < 7; i++) {
                assertThat(server.postJson("/api/v1/results", timed(model, t.plusSeconds(3600L * i), i < 6 ? 0.9 : 0.5))
                        .statusCode()).isEqualTo(201);
            }
        }
    }

    /**
     * The answers to single-result POSTs of {@code bodies} (one series each), recorded as one group: every group place
     * is held up by a POST waiting on a row lock while they queue, and the first place freed takes them all. Checks that
     * one transaction wrote them.
     */
    private static List<JsonNode> answersOfOneGroup(java.time.Instant t, List<String> bodies) throws Exception {
        // One holder series per group place (GroupCommit.MAX_RUNNING): every place is taken while the POSTs queue.
        String prefix = "hold-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> holders = java.util.stream.IntStream.rangeClosed(1, GroupCommit.MAX_RUNNING)
                .mapToObj(i -> prefix + i).toList();
        for (String model : holders) {
            assertThat(server.postJson("/api/v1/results", timed(model, t, 0.6)).statusCode()).isEqualTo(201);
        }
        List<org.jdbi.v3.core.Handle> blockers = new ArrayList<>();
        try {
            // Every group place taken: a POST of each holder series waits on a row lock another transaction holds...
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (String model : holders) {
                org.jdbi.v3.core.Handle blocker = server.benchmon().jdbi().open();
                blockers.add(blocker);
                blocker.begin();
                blocker.createQuery("SELECT 1 FROM benchmark_snapshots WHERE model_version = :model FOR UPDATE")
                        .bind("model", model).mapTo(Integer.class).one();
                held.add(CompletableFuture.supplyAsync(
                        () -> server.postJson("/api/v1/results", timed(model, t.plusSeconds(3600), 0.6))));
                int holder = pid(blocker);
                awaitUntil(() -> waitingOn(holder) >= 1, "the " + model + " group waits for its row lock");
            }
            // ...so the POSTs queue, and the first place freed takes them all as one group.
            List<CompletableFuture<HttpResponse<String>>> posts = bodies.stream().map(b -> CompletableFuture.supplyAsync(
                    () -> server.postJson("/api/v1/results", b))).toList();
            awaitUntil(() -> queuedInGroupCommit() >= bodies.size(), "the POSTs queue for a group");
            blockers.forEach(org.jdbi.v3.core.Handle::rollback);
            for (CompletableFuture<HttpResponse<String>> h : held) {
                assertThat(h.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
            }
            List<JsonNode> answers = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> post : posts) {
                HttpResponse<String> r = post.get(20, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                answers.add(JSON.readTree(r.body()));
            }
            // One group: the results were written by one transaction.
            List<Long> ids = answers.stream().map(a -> a.get("results").get(0).get("id").asLong()).toList();
            long writers = server.benchmon().jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(DISTINCT xmin::text) FROM benchmark_result_keys WHERE transaction_id IN (<ids>)")
                    .bindList("ids", ids).mapTo(Long.class).one());
            assertThat(writers).as("transactions that wrote the POSTs' results").isEqualTo(1);
            return answers;
        } finally {
            for (org.jdbi.v3.core.Handle blocker : blockers) {
                if (blocker.isInTransaction()) {
                    blocker.rollback();
                }
                blocker.close();
            }
        }
    }

    private static String timed(String model, java.time.Instant at, double f1) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"gc\",\"run_at\":\"" + at
                + "\",\"metrics\":{\"f1\":" + f1 + "}}";
    }

    /**
     * The server's request threads waiting in {@link GroupCommit#record} for a group to take their result (queued:
     * parked, not recording a group themselves); the server runs in this JVM. Told by the thread's state and
     * GroupCommit's own frames, not by the JDK's: which java.util.concurrent method parks a thread is not ours to rely on.
     */
    private static long queuedInGroupCommit() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getState() == Thread.State.WAITING)
                .filter(e -> inGroupCommit(e.getValue(), "record") && !inGroupCommit(e.getValue(), "runGroup"))
                .count();
    }

    private static boolean inGroupCommit(StackTraceElement[] stack, String method) {
        return java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().equals(GroupCommit.class.getName())
                && f.getMethodName().equals(method));
    }

    /** The backend process of a connection of the test's own. */
    private static int pid(org.jdbi.v3.core.Handle h) {
        return h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();
    }

    /**
     * Sessions waiting for a lock that the session {@code holder} holds: only the waits this test caused count, not an
     * autovacuum's or another session's elsewhere in the database.
     */
    private static long waitingOn(int holder) {
        return server.benchmon().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE :holder = ANY (pg_blocking_pids(pid))")
                .bind("holder", holder).mapTo(Long.class).one());
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void a_group_waiting_on_the_database_does_not_hold_up_other_series() throws Exception {
        assertThat(server.postJson("/api/v1/results", result("gc-slow", "s-1", 0.6)).statusCode()).isEqualTo(201);
        try (var blocker = server.benchmon().jdbi().open()) {
            // Another transaction holds the series' snapshot row: the next group of gc-slow waits for it at its write.
            blocker.begin();
            blocker.createQuery("SELECT 1 FROM benchmark_snapshots WHERE model_version = 'gc-slow' FOR UPDATE")
                    .mapTo(Integer.class).one();
            try {
                CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(
                        () -> server.postJson("/api/v1/results", result("gc-slow", "s-2", 0.6)));
                int holder = pid(blocker);
                awaitUntil(() -> waitingOn(holder) >= 1, "the gc-slow group waits for the row lock");
                // A result of another series is recorded meanwhile, in a group of its own.
                CompletableFuture<HttpResponse<String>> other = CompletableFuture.supplyAsync(
                        () -> server.postJson("/api/v1/results", result("gc-other", "o-1", 0.6)));
                assertThat(other).as("the other series' POST is answered while gc-slow waits")
                        .succeedsWithin(java.time.Duration.ofSeconds(20))
                        .satisfies(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(201));
                assertThat(slow).isNotDone();
                blocker.rollback();
                assertThat(slow.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
            } finally {
                if (blocker.isInTransaction()) {
                    blocker.rollback();
                }
            }
        }
        assertThat(count("SELECT count(*) FROM benchmark_transactions WHERE model_version = 'gc-slow'")).isEqualTo(2);
    }
}
