package dev.benchmon.server.cli;

import dev.benchmon.server.support.ChildJvm;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C (or SIGTERM) during a {@code benchmon push} sent in several requests: it exited 130 or 143 saying nothing,
 * though the answered requests' results were stored. Now it says how many the server confirmed, that the request on
 * its way may be stored too, and that the same push again is safe; and that push stores the rest.
 */
class PushInterruptedTest {
    private static final int RESULTS = 10;

    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    @Test
    @EnabledOnOs(OS.LINUX)
    void a_push_stopped_by_a_signal_says_how_many_results_the_server_confirmed_and_that_pushing_again_is_safe()
            throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < RESULTS; i++) {
            lines.append("{\"model_version\":\"interrupted-m\",\"dataset_version\":\"d\",\"run_id\":\"interrupted-")
                    .append(i).append("\",\"metrics\":{\"f1\":0.8").append(i).append("}}\n");
        }
        Path file = Files.writeString(dir.resolve("ten.jsonl"), lines);
        // The server stores the third request, whose answer the gateway then holds: the push is stopped waiting for it.
        CountDownLatch released = new CountDownLatch(1);
        AtomicInteger posts = new AtomicInteger();
        ForwardingGateway gateway = new ForwardingGateway(server.url(), (line, answer) -> {
            if (line.startsWith("POST ") && posts.incrementAndGet() == 3) {
                try {
                    released.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answer;
        });
        Path stderr = dir.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "push", file.toString(), "--server", gateway.url(), "--batch-size", "2")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        int exit;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (posts.get() < 3 && System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("the push still runs").isTrue();
                Thread.sleep(50);
            }
            assertThat(posts.get()).as("requests the gateway had").isEqualTo(3);
            // SIGINT inherited ignored (a CI runner's background job): SIGTERM runs the same shutdown.
            String signal = ImportInterruptedTest.ignoresSigint(process.pid()) ? "-TERM" : "-INT";
            assertThat(new ProcessBuilder("kill", signal, Long.toString(process.pid())).start().waitFor()).isZero();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after kill " + signal).isTrue();
            exit = process.exitValue();
        } finally {
            process.destroyForcibly();
            released.countDown();
            gateway.close();
        }
        String err = Files.readString(stderr);

        assertThat(exit).isIn(130, 143);
        assertThat(err).contains("interrupted: 4 of 10 result(s), the oldest by run_at, are stored (the server answered "
                        + "requests 1-2 of 5); request 3 was being sent, and the server may have stored it",
                "running the same push again is safe and stores the rest: results already stored are recognised by "
                        + "their idempotency keys and skipped")
                .doesNotContain("\tat ", "Exception");

        // The same push again, in the environment the first ran in (under CI=true both push to environment ci).
        PushCommandTest.Run again = PushCommandTest.run(System.getenv(), "", "push", file.toString(), "--server",
                server.url());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("pushed 10 result(s)");
        assertThat(server.get("/api/v1/history?model=interrupted-m&format=csv").body().lines().count() - 1)
                .isEqualTo(RESULTS);
    }
}
