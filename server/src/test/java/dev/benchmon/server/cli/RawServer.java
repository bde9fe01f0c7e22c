package dev.benchmon.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server on a raw socket that reads each request's head and writes whatever its answer writes: the ways a real
 * server can fail once its answer began, which a real server does not do on demand.
 */
final class RawServer implements AutoCloseable {
    /** A CSV answer's head and first row, then (Content-Length says) more to come. */
    static final String HEAD_AND_FIRST_ROW = "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n"
            + "id,model_version\r\n1,m\r\n";

    /** Writes the answer to one request; the connection closes when it returns. */
    interface Answer {
        void write(Socket connection) throws IOException;
    }

    private final ServerSocket socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    private final Answer answer;
    private volatile Socket current;
    volatile int requests;

    RawServer(Answer answer) throws IOException {
        this.answer = answer;
        Thread thread = new Thread(this::serve, "raw-server");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Answers with {@code start} (a head and the beginning of a body), then sends nothing, the connection kept open
     * until the client closes it (then {@code closedByClient} counts down): an answer that stalls midway.
     */
    static RawServer stalling(String start, CountDownLatch closedByClient) throws IOException {
        return new RawServer(connection -> {
            send(connection, start);
            while (connection.getInputStream().read() >= 0) {
                // a client sends nothing more on this connection
            }
            closedByClient.countDown();
        });
    }

    /** Answers 200 with {@link #HEAD_AND_FIRST_ROW}, then closes the connection: an answer cut midway. */
    static RawServer cutting() throws IOException {
        return cutting(HEAD_AND_FIRST_ROW);
    }

    /** Answers with {@code start} (a head and the beginning of a body), then closes the connection. */
    static RawServer cutting(String start) throws IOException {
        return new RawServer(connection -> send(connection, start));
    }

    private static void send(Socket connection, String text) throws IOException {
        connection.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        connection.getOutputStream().flush();
    }

    /**
     * Asserts that the client's answer watchdog ({@link PushClient#WATCHDOG_THREAD}) ended with its request: a test that
     * made a command or client read from one of these servers calls it once the request is over. The thread may take
     * a moment to finish its last check, so this waits up to 5 s for it.
     */
    static void assertNoWatchdogLeft() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (watchdogs() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(watchdogs()).as("watchdog threads alive").isZero();
    }

    private static long watchdogs() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(PushClient.WATCHDOG_THREAD) && t.isAlive()).count();
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                current = s;
                InputStream in = s.getInputStream();
                byte[] buffer = new byte[8192];
                StringBuilder head = new StringBuilder();
                while (!head.toString().contains("\r\n\r\n")) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    head.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
                requests++;
                answer.write(s);
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        Socket s = current;
        if (s != null) {
            s.close(); // a connection the client kept open
        }
    }
}
