package dev.benchmon.server.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /health} is open to everyone: while a database hangs, each request must not start (and hold a thread for)
 * a probe of its own. Requests that arrive while a probe runs share it ({@link HealthEndpoint.SharedProbe}).
 */
class HealthProbeTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** Released to let a probe answer (healthy); until then a probe hangs, as on a database that does not answer. */
    private final CountDownLatch answer = new CountDownLatch(1);
    private final AtomicInteger probes = new AtomicInteger();
    private final HealthEndpoint.SharedProbe probe = new HealthEndpoint.SharedProbe(() -> {
        probes.incrementAndGet();
        try {
            return answer.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }, threads);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void requests_that_arrive_while_a_probe_runs_share_it() throws Exception {
        List<CompletableFuture<Boolean>> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(probe.answer());
        }
        answer.countDown();

        assertThat(waiting).allSatisfy(f -> assertThat(f.get(5, TimeUnit.SECONDS)).isTrue());
        assertThat(probes).as("one probe for 20 requests").hasValue(1);
    }

    @Test
    void a_request_after_a_probe_ended_probes_again() throws Exception {
        answer.countDown();
        assertThat(probe.answer().get(5, TimeUnit.SECONDS)).isTrue();

        assertThat(probe.answer().get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(probes).as("no stale answer: a probe of its own").hasValue(2);
    }
}
