package dev.benchmon.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Announces alerts on a background thread, so a push never waits for a receiver: one message per
 * push (every alert it opened, grouped), to the generic JSON webhook (signed with HMAC-SHA256 when a
 * secret is set) and to the Slack-compatible webhook. Rate-limited: at most one message per channel
 * per {@link NotifierSettings#minInterval()}; pushes arriving meanwhile are grouped into the next one.
 * A failed delivery (connection error, 408, 429 or 5xx) is retried with exponential backoff; every
 * attempt is written to the delivery log.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    /** Header naming each message (the same on its retries), so receivers can drop duplicates. */
    public static final String DELIVERY_HEADER = "X-Benchmon-Delivery";

    private final NotifierSettings settings;
    private final Links links;
    private final Alerts alerts;
    private final DeliveryLog log;
    private final HttpClient http;
    private final LinkedBlockingQueue<List<AlertChange>> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;
    private volatile int busy;
    private final java.util.function.Supplier<String> fallbackDashboardUrl;
    private Instant lastSent = Instant.EPOCH;

    public Notifier(NotifierSettings settings, Links links, Alerts alerts, DeliveryLog log) {
        this(settings, links, alerts, log, () -> null);
    }

    /**
     * @param fallbackDashboardUrl the dashboard's URL when the settings name none (the server's own,
     *                             known once it listens)
     */
    public Notifier(NotifierSettings settings, Links links, Alerts alerts, DeliveryLog log,
                    java.util.function.Supplier<String> fallbackDashboardUrl) {
        this.fallbackDashboardUrl = fallbackDashboardUrl;
        this.settings = settings;
        this.links = links;
        this.alerts = alerts;
        this.log = log;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.worker = new Thread(this::run, "benchmon-notifier");
        worker.setDaemon(true);
        if (settings.enabled()) {
            worker.start();
        }
    }

    /** The settings in use. */
    public NotifierSettings settings() {
        return settings;
    }

    /** Queues the alerts one push opened (and resolved, when configured) for one grouped message. */
    public void submit(List<AlertChange> changes) {
        if (!settings.enabled() || closed) {
            return;
        }
        List<AlertChange> relevant = changes.stream().filter(c -> c.openedOpen()
                || settings.notifyResolved() && AlertChange.RESOLVED.equals(c.change())).toList();
        if (!relevant.isEmpty()) {
            synchronized (this) {
                busy++;
            }
            queue.add(relevant);
        }
    }

    private void run() {
        while (!closed) {
            List<AlertChange> first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                continue;
            }
            try {
                waitForRateLimit();
                List<List<AlertChange>> group = new ArrayList<>();
                group.add(first);
                queue.drainTo(group); // pushes that arrived while waiting: one message for all
                Set<Long> ids = new LinkedHashSet<>();
                group.forEach(g -> g.forEach(c -> ids.add(c.alertId())));
                try {
                    deliver(alerts.byIds(new ArrayList<>(ids)));
                } catch (RuntimeException e) {
                    LOG.warn("could not announce alerts {}: {}", ids, e.getMessage());
                }
                synchronized (this) {
                    busy -= group.size();
                    notifyAll();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void waitForRateLimit() throws InterruptedException {
        long waitMs = Duration.between(Instant.now(), lastSent.plus(settings.minInterval())).toMillis();
        if (waitMs > 0) {
            Thread.sleep(waitMs);
        }
    }

    private void deliver(List<Alert> list) throws InterruptedException {
        if (list.isEmpty()) {
            return;
        }
        List<Long> ids = list.stream().map(Alert::id).toList();
        String dashboard = settings.dashboardUrl() != null ? settings.dashboardUrl() : fallbackDashboardUrl.get();
        String delivery = UUID.randomUUID().toString();
        if (settings.webhookUrl() != null) {
            byte[] body = AlertMessages.webhook(list, dashboard, links, Instant.now())
                    .getBytes(StandardCharsets.UTF_8);
            HttpRequest.Builder req = HttpRequest.newBuilder(settings.webhookUrl())
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "benchmon-webhook")
                    .header(DELIVERY_HEADER, delivery);
            if (settings.webhookSecret() != null) {
                req.header(Signature.HEADER, Signature.sign(settings.webhookSecret(), body));
            }
            send("webhook", settings.webhookUrl(), req, body, ids);
        }
        if (settings.slackUrl() != null) {
            byte[] body = AlertMessages.slack(list, dashboard, links).getBytes(StandardCharsets.UTF_8);
            HttpRequest.Builder req = HttpRequest.newBuilder(settings.slackUrl())
                    .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", "benchmon-webhook");
            send("slack", settings.slackUrl(), req, body, ids);
        }
        lastSent = Instant.now();
    }

    private void send(String channel, URI url, HttpRequest.Builder req, byte[] body, List<Long> ids)
            throws InterruptedException {
        String target = Redaction.target(url.toString());
        HttpRequest request = req.timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        Duration delay = settings.firstRetryDelay();
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            Integer status = null;
            String error = null;
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
                if (status / 100 != 2) {
                    error = "HTTP " + status;
                }
            } catch (IOException e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            boolean ok = error == null;
            boolean retry = !ok && attempt < settings.maxAttempts()
                    && (status == null || status == 408 || status == 429 || status >= 500);
            try {
                log.record(channel, target, ids, attempt, status, ok, error);
            } catch (RuntimeException e) {
                LOG.warn("could not write the delivery log: {}", e.getMessage());
            }
            if (ok) {
                return;
            }
            if (!retry) {
                LOG.warn("{} notification to {} failed after {} attempt(s): {}", channel, target, attempt, error);
                return;
            }
            Thread.sleep(delay.toMillis());
            delay = delay.multipliedBy(2);
        }
    }

    /** Blocks until every queued message was delivered or given up (for tests and a clean stop); false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (busy > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
        }
        return true;
    }

    /** Stops the background thread (queued messages that were not sent yet are dropped). */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
