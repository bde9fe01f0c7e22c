package dev.benchmon.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A database address that accepts connections and never answers (a stuck proxy, a dead tunnel). */
class UnansweredLoginTest {
    @TempDir
    Path home;

    @Test
    void a_server_that_accepts_and_never_answers_is_unreachable_after_the_login_timeouts_not_a_wait_for_ever() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // kept open, never written to
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/bm";
            // The login timeout (5 s) of each attempt, tried again for up to 10 s: well within the minute.
            PushCommandTest.Run r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(
                    Map.of("BENCHMON_HOME", home.toString()), "", "export", "history", "--db", url));
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
