package dev.benchmon.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.api.errors.ErrorDetail;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * HTTP to a benchmon server with retries: exponential backoff with jitter on connection errors, 429,
 * 502, 503 and 504 (waiting what Retry-After says when the server says it), never on other 4xx or
 * on 500, which a retry cannot fix. Safe for {@link #postJson} (push) because every result carries an
 * idempotency key before the first try; {@link #post} (triage) appends to append-only histories, so it
 * is retried only when it certainly never reached the server.
 */
final class PushClient {
    /** Longest wait between attempts, whatever the backoff or Retry-After says. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    /** Every attempt of every request, for {@link #requestsSent}. */
    private int requestsSent;
    /** How long a request waits for the server by default: for its answer to begin, and between two parts of it. */
    static final int DEFAULT_TIMEOUT_SECONDS = 120;
    /** {@link #DEFAULT_TIMEOUT_SECONDS} as a duration. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    /** The name of the thread that watches a streamed answer for silence ({@link #get}). */
    static final String WATCHDOG_THREAD = "benchmon-answer-watchdog";
    /** Statuses that mean "not now": too many requests, or a gateway or server that is (for now) unavailable. */
    private static final Set<Integer> RETRIED = Set.of(429, 502, 503, 504);

    private final URI base;
    /** {@link #base} as messages show it: {@link #masked}. */
    private final String shown;
    private final String token;
    private final int maxAttempts;
    private final Duration initialDelay;
    private final PrintWriter log;
    private final HttpClient http;
    private final String againAdvice;
    /** {@link #whenNothingAnswers}: "" when not given. */
    private String unreachableAdvice = "";
    /** How a refusal names the fields of the request: by the options that set them; null: as the server does. */
    private OptionNames optionNames;
    /** {@link #waiting}. */
    private Duration timeout = DEFAULT_TIMEOUT;

    /**
     * @param againAdvice what the give-up message says about trying again, which depends on the requests:
     *                    whether a repeat can store something twice
     */
    PushClient(URI base, String token, int maxAttempts, Duration initialDelay, PrintWriter log, String againAdvice) {
        this.base = base;
        this.shown = masked(base.toString());
        this.againAdvice = againAdvice;
        this.token = token;
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.log = log;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * A server URL as the CLI prints it, in every message and summary of the commands that take {@code --server}: the
     * userinfo ({@code http://user:password@...}) and the value of every query parameter ({@code ?token=...}) as
     * {@code ****}. Such URLs end up in CI logs and the job summary, where GitHub's secret masking misses a secret
     * the summary's Markdown escapes; the query is never sent anyway (requests resolve against the URL's path).
     */
    static String masked(String url) {
        return url.replaceFirst("^((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)?[^/?#]*@", "$1****@")
                .replaceAll("([?&])([^=&#]*)=[^&#]*", "$1$2=****")
                .replaceAll("([?&])[^=&#]+(?=[&#]|$)", "$1****");
    }

    /**
     * How many requests this client has sent, each attempt counted: a POST whose count grew by more than one was sent
     * again, so an earlier attempt may have stored what its answer reports as already present.
     */
    int requestsSent() {
        return requestsSent;
    }

    /** The server's URL as messages show it ({@link #masked}). */
    String server() {
        return shown;
    }

    /**
     * What the give-up message adds when no connection could be made at all ({@code advice}: how to name another
     * server or a database); not after a server answered (503, 429) or an answer stalled or broke off, where the
     * server is there.
     */
    PushClient whenNothingAnswers(String advice) {
        this.unreachableAdvice = advice;
        return this;
    }

    /** Refusals name the request's fields by these options (a command that passes its options on as the fields). */
    PushClient naming(OptionNames names) {
        this.optionNames = names;
        return this;
    }

    /**
     * How long a request waits for the server (default {@link #DEFAULT_TIMEOUT}): for the answer's headers, and for
     * each next part of its body. An answer that keeps coming may take as long as it takes.
     */
    PushClient waiting(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * POSTs a JSON body; returns the parsed answer, which must be 201 Created: any other success
     * status means something other than a benchmon server answered, and nothing confirms that the
     * results were stored.
     */
    JsonNode postJson(String path, String json) {
        String what = "POST " + shownPath(path);
        return json(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)), what, true, status -> {
            if (status != 201) {
                throw new CliException(ExitCodes.FAILURE, what + " answered " + status + ", not 201 Created, so "
                        + "nothing confirms the results were stored. Is --server (" + shown + ") a benchmon server?");
            }
        });
    }

    /**
     * POSTs a JSON body that is not safe to repeat (a triage change: each one appends a row to a history
     * that is never rewritten); returns the parsed 2xx answer (for requests that answer 200 or 201).
     * Retried only when the connection was never made or the answer is 429: a 502, 503 or 504, a reset
     * or a timeout can come after the server stored the change, and a repeat would store it twice.
     */
    JsonNode post(String path, String json) {
        return json(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)), "POST " + shownPath(path),
                false, status -> { });
    }

    /**
     * PUTs a JSON body that names what it replaces whole (a metric's definition: {@code metrics define --server}), so
     * a repeat stores nothing twice: retried as {@link #postJson} is. Returns the parsed 2xx answer.
     */
    JsonNode putJson(String path, String json) {
        return json(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)), "PUT " + shownPath(path), true,
                status -> { });
    }

    /** Reads a 2xx answer's body as it arrives. */
    interface BodyReader<T> {
        /** @throws IOException from {@code body} (the answer broke off) or from where the reader writes */
        T read(InputStream body) throws IOException;
    }

    /**
     * GETs a path (with query) and hands the 2xx body to {@code reader} as it arrives, holding none of it: retried as
     * the class says until an answer's body begins, never once it has (the reader may have written part of it).
     * Returns what the reader returns. A body that sends nothing for the {@link #waiting} time (the reader waiting on
     * it all along) is given up, its connection closed: Java's request timeout stops at the headers.
     *
     * @throws CliException (exit {@link ExitCodes#UNREACHABLE}) when the answer broke off or stalled midway
     * @throws IOException  when the reader's own writing fails
     */
    <T> T get(String pathAndQuery, String accept, BodyReader<T> reader) throws IOException {
        String what = "GET " + shownPath(pathAndQuery);
        try {
            return read(request(pathAndQuery).header("Accept", accept).GET(), what, true, status -> { }, reader);
        } catch (Stalled e) {
            throw stalled(what);
        } catch (BrokenOff e) {
            throw brokenOff(what, e);
        }
    }

    /**
     * Sends as the class says until a 2xx answer comes, checks its status, then hands its body to {@code reader}
     * through the stall watchdog ({@link Marked}); the answer's failures are thrown as they are ({@link Stalled},
     * {@link BrokenOff}).
     */
    private <T> T read(HttpRequest.Builder builder, String what, boolean repeatable, StatusCheck status,
                       BodyReader<T> reader) throws IOException {
        HttpResponse<InputStream> response = send(builder, what, repeatable, STREAMED, PushClient::text);
        try (InputStream body = new Marked(response.body(), timeout)) {
            status.check(response.statusCode());
            return reader.read(body);
        }
    }

    /** Checks a 2xx answer's status before its body is read ({@link #postJson} wants 201). */
    private interface StatusCheck {
        void check(int status);
    }

    /**
     * A JSON answer, its body read through the stall watchdog, so that one that stalls midway is given up (exit
     * {@link ExitCodes#UNREACHABLE}), not waited on without end. One that breaks off is sent again when
     * {@code repeatable} (the answer is parsed whole, so nothing of it was used), as a connection error is.
     */
    private JsonNode json(HttpRequest.Builder builder, String what, boolean repeatable, StatusCheck status) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read(builder, what, repeatable, status, body -> {
                    try {
                        return ResultJson.mapper().readTree(body);
                    } catch (JsonProcessingException e) {
                        throw notJson(e);
                    }
                });
            } catch (Stalled e) {
                throw stalled(what);
            } catch (BrokenOff e) {
                if (!repeatable || attempt >= maxAttempts) {
                    throw brokenOff(what, e);
                }
                Duration wait = backoff(attempt);
                log.printf("attempt %d of %d: %s broke off while its answer came (%s); retrying in %.1f s%n", attempt,
                        maxAttempts, what, describe(e.failure), wait.toMillis() / 1000.0);
                log.flush();
                sleep(wait);
            } catch (IOException e) { // only the answer's own failures (above): a JSON tree is written nowhere
                throw new UncheckedIOException(e);
            }
        }
    }

    private CliException stalled(String what) {
        return new CliException(ExitCodes.UNREACHABLE, what + " stalled: the server sent nothing for "
                + timeout.toSeconds() + " s while its answer came, so it was given up. Check the server's log for "
                + "what held it up, or raise --timeout if the server is only slow. " + againAdvice);
    }

    private CliException brokenOff(String what, BrokenOff e) {
        return new CliException(ExitCodes.UNREACHABLE, what + " broke off while its answer came: "
                + describe(e.failure) + ". " + againAdvice);
    }

    /** A 2xx body as a stream that reads from the connection; any other answer's (an error's, small) read whole. */
    private static final HttpResponse.BodyHandler<InputStream> STREAMED = info -> info.statusCode() >= 200 && info.statusCode() < 300
            ? HttpResponse.BodySubscribers.ofInputStream()
            : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), ByteArrayInputStream::new);

    /** An error answer's body (read whole by {@link #STREAMED}) as text. */
    private static String text(InputStream body) {
        try (body) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** A failure to read the answer, told apart from the reader's own (a full disk is no network trouble). */
    private static final class BrokenOff extends IOException {
        final IOException failure;

        BrokenOff(IOException cause) {
            super(cause);
            this.failure = cause;
        }
    }

    /** The answer sent nothing for the timeout: {@link Marked} closed it. */
    private static final class Stalled extends IOException {
        Stalled() {
            super("the answer stalled");
        }
    }

    /**
     * The answer's stream, its failures marked as {@link BrokenOff}, and closed by a watchdog thread (which
     * {@link #close} ends) when a read waits longer than the timeout: closing the JDK's stream cancels its subscription,
     * which closes the connection and wakes the waiting read; that read then throws {@link Stalled}. Only time spent
     * in a read counts: a reader slowed by where it writes is not the server stalling.
     */
    private static final class Marked extends FilterInputStream {
        private final long timeoutNanos;
        private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, WATCHDOG_THREAD);
            t.setDaemon(true); // never what keeps the JVM up
            return t;
        });
        /**
         * When the read now waiting on the connection began (System.nanoTime()), or {@link #IDLE}: one value, read once
         * by the watchdog, so that a read which ended between its looks is never taken for one still waiting.
         */
        private volatile long readSince = IDLE;
        private volatile boolean stalled;
        private static final long IDLE = Long.MIN_VALUE;

        Marked(InputStream in, Duration timeout) {
            super(in);
            this.timeoutNanos = timeout.toNanos();
            // Checked ten times a timeout, and at least each second: given up at most a tenth of it (or a second) late.
            long period = Math.max(10, Math.min(1_000, timeout.toMillis() / 10));
            watchdog.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        }

        private void check() {
            long since = readSince;
            // Checked again just before closing: the read may have ended (and another begun) meanwhile.
            if (since != IDLE && System.nanoTime() - since > timeoutNanos && readSince == since) {
                stalled = true;
                try {
                    in.close();
                } catch (IOException e) {
                    // closed anyway: the read wakes up either way
                }
                watchdog.shutdown();
            }
        }

        @Override
        public int read() throws IOException {
            begin();
            try {
                return end(super.read());
            } catch (IOException e) {
                throw failed(e);
            } finally {
                readSince = IDLE;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            begin();
            try {
                return end(super.read(b, off, len));
            } catch (IOException e) {
                throw failed(e);
            } finally {
                readSince = IDLE;
            }
        }

        private void begin() {
            readSince = System.nanoTime();
        }

        /** A read the watchdog's close woke returns -1 (the JDK's end of stream): no end, a stall. */
        private int end(int read) throws Stalled {
            if (stalled) {
                throw new Stalled();
            }
            return read;
        }

        private IOException failed(IOException e) {
            return stalled ? new Stalled() : new BrokenOff(e);
        }

        @Override
        public void close() throws IOException {
            watchdog.shutdownNow();
            super.close();
        }
    }

    /** GETs JSON ({@link #json}: a stalled answer is given up, a broken-off one asked again). */
    JsonNode getJson(String pathAndQuery) {
        return json(request(pathAndQuery).header("Accept", "application/json").GET(), "GET " + shownPath(pathAndQuery),
                true, status -> { });
    }

    /**
     * {@link #getJson}, or empty when the server answers 404: a route a server of an earlier version does not have
     * (the caller asks it the older way). Any other refusal is thrown as {@link #getJson} throws it.
     */
    java.util.Optional<JsonNode> getJsonIfRouted(String pathAndQuery) {
        try {
            return java.util.Optional.of(getJson(pathAndQuery));
        } catch (CliException e) {
            if (e.httpStatus() == 404) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    /**
     * {@code text} as one segment of a request's path ({@code api/v1/metrics/} + a metric's name): every character
     * but letters, digits and {@code - . _ *} percent-encoded as UTF-8, a space as {@code %20} (not the query's
     * {@code +}), so a name holding {@code /}, {@code ?}, {@code #} or {@code %} stays one segment; a name {@code .} or
     * {@code ..} as {@code %2E} or {@code %2E%2E}, which no URL resolution takes for the current or parent folder.
     */
    static String pathSegment(String text) {
        String encoded = java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
        // "." and ".." would be resolved away as dot-segments (metrics/.. is the API's root): their dots go encoded.
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    /** A request's path as sent, from the server's root ({@code /api/v1/...}, under --server's own path if it has one). */
    private String shownPath(String pathAndQuery) {
        URI sent = base.resolve(pathAndQuery);
        return sent.getRawPath() + (sent.getRawQuery() == null ? "" : "?" + sent.getRawQuery());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token.trim());
        }
        return b;
    }

    /**
     * Sends until a 2xx answer comes (retrying as the class says), and returns it.
     *
     * @param handler reads every answer's body; {@code text} gives that of one that is not 2xx, for the messages
     */
    private <T> HttpResponse<T> send(HttpRequest.Builder builder, String what, boolean repeatable,
                                     HttpResponse.BodyHandler<T> handler, java.util.function.Function<T, String> text) {
        HttpRequest request = builder.build();
        String lastProblem = null;
        int lastStatus = 0; // 0: no answer came (the server could not be reached)
        boolean noConnection = false; // the last attempt made no connection at all
        boolean noSuchHost = false; // the last attempt found no address for the host
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            try {
                requestsSent++;
                HttpResponse<T> response = http.send(request, handler);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response;
                }
                String body = text.apply(response.body());
                if (status < 400) { // not followed: a POST redirected is a POST not delivered
                    throw new CliException(ExitCodes.FAILURE, what + " was redirected (" + status + ") to "
                            + response.headers().firstValue("Location").map(PushClient::masked).orElse("(no Location header)")
                            + "; nothing was sent there. Point --server at the server's own address.");
                }
                if (status != 429 && status < 500) {
                    throw refused(status, body, what);
                }
                if (!RETRIED.contains(status)) { // 500 and the like: the same request fails the same way again
                    throw new CliException(ExitCodes.FAILURE, what + " failed on the server (" + status + ")"
                            + errorMessage(body) + "\nNot retried: this is not a passing outage. "
                            + (benchmonAnswered(body) ? "Fix the cause the server names (its log has the request id), "
                            + "then push again." : NOT_BENCHMON));
                }
                lastProblem = "the server answered " + status + errorMessage(body);
                lastStatus = status;
                noConnection = false;
                noSuchHost = false;
                if (!repeatable && status != 429) { // 429 refuses before doing anything; the others may come after
                    throw notRepeated(what, lastProblem);
                }
                wait = retryAfter(response);
                if (wait == null) {
                    wait = backoff(attempt);
                }
            } catch (IOException e) {
                if (plainHttpAnswered(e)) { // the same handshake fails the same way however often it is tried
                    throw plainHttp(what);
                }
                lastProblem = "cannot reach " + shown + ": " + describe(e);
                lastStatus = 0;
                noConnection = e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
                noSuchHost = unresolved(e);
                if (!repeatable && !(e instanceof ConnectException || e instanceof HttpConnectTimeoutException)) {
                    throw notRepeated(what, lastProblem); // sent, perhaps stored, but no answer came back
                }
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.FAILURE, "interrupted while talking to " + shown);
            }
            if (attempt >= maxAttempts) {
                throw new CliException(ExitCodes.UNREACHABLE, what + " failed after " + attempt + " attempt(s): "
                        + lastProblem + ". " + (noSuchHost ? "Check the host name in --server (or BENCHMON_SERVER) "
                        + "for a typo, and that this machine's network and DNS know it." : giveUpAdvice(lastStatus))
                        + " " + againAdvice
                        + (noConnection ? unreachableAdvice : ""));
            }
            log.printf("attempt %d of %d: %s; retrying in %.1f s%n", attempt, maxAttempts, lastProblem,
                    wait.toMillis() / 1000.0);
            log.flush();
            sleep(wait);
        }
    }

    /** What to check after the last attempt: the server's own 503 and 429 say it runs, so "is it running?" misleads. */
    private static String giveUpAdvice(int lastStatus) {
        return switch (lastStatus) {
            case 503 -> "The server answered, but its database is unavailable (restarting, failing over, or out of "
                    + "connections); retry later, and check the database if it lasts (the server's /health says which).";
            case 429 -> "The server answered, but is too busy for now; retry later.";
            default -> "Check that the server runs (benchmon serve) and that --server or BENCHMON_SERVER points at it.";
        };
    }

    private CliException notRepeated(String what, String problem) {
        return new CliException(ExitCodes.UNREACHABLE, what + " failed: " + problem + ". Not retried: the server "
                + "may have stored the change before the failure, and a repeat would store it twice. " + againAdvice);
    }

    /** Exponential backoff with "equal jitter": half the delay fixed, half random, so clients spread out. */
    Duration backoff(int attempt) {
        long exp = initialDelay.toMillis() * (1L << Math.min(attempt - 1, 20));
        long capped = Math.min(exp, MAX_WAIT.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** Retry-After as seconds or an HTTP date; {@code null} when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
    }

    private CliException refused(int status, String text, String what) {
        StringBuilder sb = new StringBuilder(what).append(" was refused (").append(status).append(')');
        ErrorBody body = ErrorBody.read(text);
        boolean benchmonAnswered = body != null && body.fromBenchmon(); // the message above says what was wrong
        // Only a 400 refuses a value typed: a 404 (run 999 not found) or 409 (the run's state) names what the request
        // acts on, said as it is, not as "invalid RUN: ...".
        String reworded = body == null || optionNames == null || status != 400 ? null : optionNames.refusal(body.details());
        if (reworded != null) {
            // The refusal names the option typed: the request line (its URL, the query's internal limit=101) says
            // nothing the user gave, only the server's words do.
            sb.setLength(0);
            sb.append(reworded);
        } else if (body != null) {
            sb.append(body.error() == null ? "" : ": " + body.error());
            // A single problem is usually the whole error already ("invalid argument: kind: must be excluded ...",
            // "unknown model 'x' (known: ...)" for field b): its line would say it again.
            for (ErrorDetail d : body.saysItsOnlyDetail() ? List.<ErrorDetail>of() : body.details()) {
                sb.append("\n  ");
                // Worded as the server and the local checks word a result's problem: result 3, results[2].field.
                if (d.index() != null || d.field() != null) {
                    sb.append(dev.benchmon.ResultPlace.named(d.index(), d.field() == null ? "" : d.field())).append(": ");
                }
                sb.append(d.message());
            }
        } // else not a JSON error body: the status says enough
        boolean read = what.startsWith("GET ");
        boolean defines = what.startsWith("PUT ") && what.contains("/metrics/");
        String needs = read ? "the read token reads." : what.contains("/results") ? "pushing needs the write token."
                : defines ? "defining a metric needs the write token." : "triage needs the triage or write token.";
        String advice = switch (status) {
            case 401 -> "Pass the server's token with --token or BENCHMON_TOKEN: " + needs;
            // A read-only server refuses every write with 403, a token or not: "that token" would be no token.
            case 403 -> token == null || token.isBlank() ? "No token was sent; " + needs + " Pass it with --token or BENCHMON_TOKEN."
                    : read ? "That token may not read here." : what.contains("/results")
                    ? "That token may not push: pushing needs the write token."
                    : defines ? "That token may not define metrics: " + needs
                    : "That token may not triage; triage needs the triage or write token.";
            // serve prints "API under http://host:port/api/v1": given as --server, every path doubles (/api/v1/api/v1/...).
            case 404 -> apiUrlCut(base) != null ? "Give --server the server's base URL, "
                    + masked(apiUrlCut(base).toString()) + ", not the API's: the commands add /api/v1/... themselves."
                    : benchmonAnswered ? UnknownIds.nextStep(body.error()) : NOT_BENCHMON;
            case 413 -> "Send smaller batches with --batch-size.";
            // A triage or annotation the alert's or run's state refuses: its message says what to do instead, and
            // nothing was input wrong. (A push's 409, a month detached from the log, keeps the general advice.)
            case 409 -> what.contains("/results") ? "Nothing was stored; fix the problem above and run the command again." : null;
            default -> read ? null : "Nothing was stored; fix the problem above and run the command again.";
        };
        if (advice != null) {
            sb.append('\n').append(advice);
        }
        return new CliException(ExitCodes.INVALID_INPUT, sb.toString(), status);
    }

    /** A base path (always ending in a slash, {@link PushCommand#baseUri}) that ends in the API's: /api/ or /api/v1/. */
    private static final java.util.regex.Pattern API_SUFFIX = java.util.regex.Pattern.compile("/api(/v1)?/$");

    /**
     * The server's base URL when {@code base} is its API's URL ({@code --server} ending in /api or /api/v1, with or
     * without a slash): {@code base} cut before that suffix, keeping a reverse proxy's prefix
     * ({@code https://host/benchmon/api/v1} gives {@code https://host/benchmon/}); else {@code null}.
     */
    static URI apiUrlCut(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        java.util.regex.Matcher m = API_SUFFIX.matcher(path);
        return m.find() ? base.resolve(path.substring(0, m.start()) + "/") : null;
    }

    /** The advice for an answer that is not benchmon's error body (another server at that address). */
    private static final String NOT_BENCHMON = "Is --server the address of a benchmon server (e.g. http://127.0.0.1:7070)? "
            + "The answer is not benchmon's.";

    /** Whether {@code text} is benchmon's JSON error body ({@code error} and {@code request_id}). */
    private static boolean benchmonAnswered(String text) {
        ErrorBody body = ErrorBody.read(text);
        return body != null && body.fromBenchmon();
    }

    /** {@code ": "} and the error a JSON error body says, or nothing. */
    private static String errorMessage(String text) {
        ErrorBody body = ErrorBody.read(text);
        return body == null || body.error() == null ? "" : ": " + body.error();
    }

    private static CliException notJson(JsonProcessingException e) {
        return new CliException(ExitCodes.FAILURE, "the server's answer is not JSON (is --server a benchmon server?): "
                + e.getOriginalMessage());
    }

    /**
     * Why no answer came, in words: a host whose name does not resolve, a connection refused (nothing listens on the
     * port), a connection that timed out; else the exception's class and message (the JDK's ConnectException has
     * none, which said only "ConnectException").
     */
    private String describe(IOException e) {
        if (unresolved(e)) {
            return "cannot resolve host " + base.getHost();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connecting timed out (no answer from " + hostAndPort() + ": a firewall, or a host that is down)";
        }
        if (e instanceof ConnectException) {
            // The JDK's client gives no words for a refused connection (a ConnectException without a message, from a
            // closed channel); any other reason it names ("No route to host") is said as it says it.
            String said = null;
            for (Throwable t = e; t != null && said == null; t = t.getCause() == t ? null : t.getCause()) {
                said = t.getMessage();
            }
            if (said == null || said.toLowerCase(java.util.Locale.ROOT).contains("refused")) {
                return "connection refused (nothing listens on " + hostAndPort() + ")";
            }
            return "cannot connect to " + hostAndPort() + ": " + said;
        }
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + " (" + e.getMessage() + ")";
    }

    /**
     * The TLS handshake of an {@code https://} URL met an answer that is no TLS at all: a server speaking plain HTTP
     * there ({@code benchmon serve} does). The JDK says so only in its message: "Unrecognized SSL message, plaintext
     * connection?" (its socket's: "Unsupported or unrecognized SSL message").
     */
    private boolean plainHttpAnswered(IOException e) {
        if (!"https".equalsIgnoreCase(base.getScheme())) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException && t.getMessage() != null
                    && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("unrecognized ssl message")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code http://} URL of the server that answered {@code https} in plain HTTP: the same host and port, which is
     * 443 when the URL names none ({@code http://host/} would go to port 80).
     */
    static String plainHttpUrl(URI https) {
        if (https.getPort() == -1 && https.getRawAuthority() != null) {
            return https.toString().replaceFirst("^(?i)https://" + java.util.regex.Pattern.quote(https.getRawAuthority()),
                    java.util.regex.Matcher.quoteReplacement("http://" + https.getRawAuthority() + ":443"));
        }
        return https.toString().replaceFirst("^(?i)https:", "http:");
    }

    /** {@link #plainHttpAnswered}'s message: the {@code http://} URL to use instead; nothing was sent. */
    private CliException plainHttp(String what) {
        String http = masked(plainHttpUrl(base));
        return new CliException(ExitCodes.UNREACHABLE, what + " failed: " + shown + " answered in plain HTTP, not "
                + "HTTPS, so nothing was sent. Use --server " + http + " (or set BENCHMON_SERVER to it): benchmon serve "
                + "speaks plain HTTP; https:// needs a TLS proxy in front of it. Not retried: every attempt would fail "
                + "the same way.");
    }

    /** The failure is a host name that does not resolve (no such host, or no DNS). */
    private static boolean unresolved(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** {@code host:port} of --server, the port the scheme's default when the URL names none. */
    private String hostAndPort() {
        int port = base.getPort() != -1 ? base.getPort() : "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80;
        return base.getHost() + ":" + port;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILURE, "interrupted while waiting to retry");
        }
    }
}
