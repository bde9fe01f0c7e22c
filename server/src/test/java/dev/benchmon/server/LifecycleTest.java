package dev.benchmon.server;

import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stopping: in-flight requests finish, new connections are refused; a lost database gives 503. */
class LifecycleTest {
    @Test
    void stopLetsAnInFlightPushFinishThenRefusesConnections() throws Exception {
        TestServer server = TestServer.start();
        int port = server.port();
        byte[] body = "{\"model_version\":\"drain\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}"
                .getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/results HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 10); // the request is in flight: its handler waits for the rest of the body
            out.flush();
            Thread.sleep(300);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            Thread.sleep(300);
            assertThat(stopping).isNotDone();
            out.write(body, 10, body.length - 10);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 201");
            stopping.get(15, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aRunningServerGivesThePartitionedLogThePlannerStatisticsAutovacuumNeverGathers() throws Exception {
        // A deployment that only pushes had none: autovacuum analyzes the months, never the partitioned log.
        try (TestServer server = TestServer.start()) {
            for (int i = 0; i < 3; i++) {
                var push = server.postJson("/api/v1/results", "{\"model_version\":\"stats\",\"dataset_version\":\"d\","
                        + "\"run_id\":\"r" + i + "\",\"metrics\":{\"f1\":0.5" + i + "}}");
                assertThat(push.statusCode()).as(push.body()).isEqualTo(201);
            }
            // LogStatistics checks 10 s after the start, then every 10 minutes.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            double rows = -1;
            while (rows < 3 && System.nanoTime() < until) {
                Thread.sleep(500);
                rows = server.benchmon().jdbi().withHandle(h -> h.createQuery(
                        "SELECT reltuples FROM pg_class WHERE oid = 'benchmark_log'::regclass").mapTo(Double.class).one());
            }
            assertThat(rows).as("the rows the planner believes the log holds").isEqualTo(3);
        }
    }

    @Test
    void aLostDatabaseAnswers503WithRetryAfter() {
        TestServer server = TestServer.start();
        try {
            server.benchmon().close(); // the pool is gone: as if the database went away
            var query = server.get("/api/v1/snapshots");
            assertThat(query.statusCode()).isEqualTo(503);
            assertThat(query.headers().firstValue("Retry-After")).isPresent();
            assertThat(query.body()).contains("database is unavailable").doesNotContain("Exception");
            var push = server.postJson("/api/v1/results", "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f\":1}}");
            assertThat(push.statusCode()).isEqualTo(503);
            assertThat(server.get("/health").statusCode()).isEqualTo(503);
        } finally {
            server.close();
        }
    }
}
