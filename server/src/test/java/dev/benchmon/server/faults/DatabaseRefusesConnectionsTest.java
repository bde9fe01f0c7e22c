package dev.benchmon.server.faults;

import dev.benchmon.server.cli.Main;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that refuses connections for a while (allow_connections false, open connections ended:
 * SQLSTATE 55000 and 57P01): the API answers 503 with Retry-After, not 500; {@code benchmon push}
 * retries and succeeds once the database accepts connections again; the server recovers by itself.
 */
class DatabaseRefusesConnectionsTest {
    private static final String BODY = "{\"model_version\":\"%s\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}";
    private TestServer server;
    private String database;

    @BeforeEach
    void start() {
        server = TestServer.start();
        String url = server.databaseUrl();
        database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    }

    @AfterEach
    void stop() throws SQLException {
        allowConnections(true);
        server.close();
    }

    private void allowConnections(boolean allow) throws SQLException {
        String admin = server.databaseUrl().replace("/" + database + "?", "/postgres?");
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS " + allow);
            if (!allow) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            }
        }
    }

    @Test
    void while_the_database_refuses_connections_the_api_answers_503_with_retry_after() throws SQLException {
        allowConnections(false);
        var push = server.postJson("/api/v1/results", BODY.formatted("refused"));
        var query = server.get("/api/v1/snapshots");
        var health = server.get("/health");

        assertThat(push.statusCode()).isEqualTo(503);
        assertThat(push.headers().firstValue("Retry-After")).isPresent();
        assertThat(push.body()).contains("\"status\":503").doesNotContain("retrying will not help");
        assertThat(query.statusCode()).isEqualTo(503);
        assertThat(health.statusCode()).isEqualTo(503);

        allowConnections(true);
        assertThat(server.postJson("/api/v1/results", BODY.formatted("after")).statusCode()).isEqualTo(201);
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void concurrent_single_posts_during_the_outage_all_answer_503_promptly_and_succeed_once_it_is_over() throws Exception {
        // Eight series at once: grouped into one commit or two, whose failure must not be retried member by
        // member (each waiting the pool's 5 s timeout in turn, while every other single POST waits for the lock).
        List<String> bodies = IntStream.range(0, 8).mapToObj(i -> BODY.formatted("outage-" + i)).toList();
        allowConnections(false);

        long t0 = System.nanoTime();
        List<HttpResponse<String>> during = server.postJsonConcurrently("/api/v1/results", bodies);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(during).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        });
        assertThat(took).as("8 x the pool's 5 s timeout is 40 s").isLessThan(Duration.ofSeconds(25));

        allowConnections(true);
        // Over when the server says so: its pool may still be backing off from the refused attempts for a moment,
        // as a client retrying on Retry-After would find.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.get("/health").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(server.postJsonConcurrently("/api/v1/results", bodies)).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(201));
    }

    @Test
    void push_retries_a_database_that_refuses_connections_until_it_accepts_them_again() throws Exception {
        Path file = Files.createTempFile("benchmon-refused", ".json");
        Files.writeString(file, BODY.formatted("pushed-through"));
        allowConnections(false);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            CommandLine cl = Main.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            return cl.execute("push", file.toString(), "--server", server.url(), "--max-attempts", "8");
        });
        // Let push see the outage (its first attempt waits for the pool, then answers 503) before it ends.
        while (!err.toString().contains("attempt 1 of 8") && !exit.isDone()) {
            Thread.sleep(100);
        }
        allowConnections(true);

        assertThat(exit.get(5, TimeUnit.MINUTES)).as("stdout %s\nstderr %s", out, err).isZero();
        assertThat(err.toString()).contains("503");
        assertThat(server.get("/api/v1/history?model=pushed-through").body()).contains("pushed-through");
        Files.deleteIfExists(file);
    }

    @Test
    void push_giving_up_on_a_503_says_the_server_answered_but_its_database_is_unavailable() throws Exception {
        Path file = Files.createTempFile("benchmon-refused", ".json");
        Files.writeString(file, BODY.formatted("given-up"));
        allowConnections(false);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int exit = cl.execute("push", file.toString(), "--server", server.url(), "--max-attempts", "1");

        assertThat(exit).isEqualTo(3);
        assertThat(err.toString()).contains("the server answered 503",
                        "The server answered, but its database is unavailable", "retry later")
                .doesNotContain("Check that the server runs");
        Files.deleteIfExists(file);
    }
}
