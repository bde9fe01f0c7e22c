package dev.benchmon.server;

import dev.benchmon.ConfigurationException;
import dev.benchmon.server.alert.AlertSettings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * How the server listens and what it accepts. Immutable; start from {@link #defaults()}.
 *
 * @param host                  interface to bind ({@code 127.0.0.1} by default; {@code 0.0.0.0} for all)
 * @param port                  TCP port; 0 picks a free one (see {@link BenchmonServer#port()})
 * @param tokens                bearer tokens; on any non-loopback bind a write token, or a read token alone (a
 *                              read-only server), each at least {@link Tokens#MIN_LENGTH} characters
 * @param maxBodyBytes          largest request body accepted; larger ones get 413
 * @param maxResultsPerRequest  most results one POST may carry; more get 413
 * @param drainTimeout          how long a stop waits for in-flight requests before closing them
 * @param bodyTimeout           how long a request body may stall (no bytes arriving) before the
 *                              request is answered 408 in the API's JSON error format
 * @param alerts                notifications, links and the triage token (see {@link AlertSettings})
 */
public record ServerSettings(String host, int port, Tokens tokens, long maxBodyBytes, int maxResultsPerRequest,
                             Duration drainTimeout, Duration bodyTimeout, AlertSettings alerts) {
    /** Default bind address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default port. */
    public static final int DEFAULT_PORT = 7070;
    /** 16 MiB: room for 10,000 results with generous metadata. */
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
    /** Results per POST. */
    public static final int DEFAULT_MAX_RESULTS = 10_000;

    public ServerSettings {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
        tokens = tokens == null ? Tokens.none() : tokens;
        if (port < 0 || port > 65_535) {
            throw new ConfigurationException("port must be between 0 and 65535 (0 = any free port), got " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new ConfigurationException("maximum body size must be at least 1024 bytes, got " + maxBodyBytes);
        }
        if (maxResultsPerRequest < 1) {
            throw new ConfigurationException("maximum results per request must be at least 1, got " + maxResultsPerRequest);
        }
        drainTimeout = drainTimeout == null ? Duration.ofSeconds(10) : drainTimeout;
        bodyTimeout = bodyTimeout == null ? DEFAULT_BODY_TIMEOUT : bodyTimeout;
        if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new ConfigurationException("body timeout must be positive, got " + bodyTimeout);
        }
        alerts = alerts == null ? AlertSettings.none() : alerts;
    }

    /** A stalled request body is given up after 30 s (Jetty's default idle timeout). */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);

    public ServerSettings withBodyTimeout(Duration value) {
        return new ServerSettings(host, port, tokens, maxBodyBytes, maxResultsPerRequest, drainTimeout, value, alerts);
    }

    /** Loopback, port 7070, no tokens, 16 MiB bodies, 10,000 results per request, 10 s drain. */
    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, Tokens.none(), DEFAULT_MAX_BODY_BYTES,
                DEFAULT_MAX_RESULTS, Duration.ofSeconds(10), DEFAULT_BODY_TIMEOUT, AlertSettings.none());
    }

    public ServerSettings withHost(String value) {
        return new ServerSettings(value, port, tokens, maxBodyBytes, maxResultsPerRequest, drainTimeout, bodyTimeout, alerts);
    }

    public ServerSettings withPort(int value) {
        return new ServerSettings(host, value, tokens, maxBodyBytes, maxResultsPerRequest, drainTimeout, bodyTimeout, alerts);
    }

    public ServerSettings withTokens(Tokens value) {
        return new ServerSettings(host, port, value, maxBodyBytes, maxResultsPerRequest, drainTimeout, bodyTimeout, alerts);
    }

    public ServerSettings withMaxBodyBytes(long value) {
        return new ServerSettings(host, port, tokens, value, maxResultsPerRequest, drainTimeout, bodyTimeout, alerts);
    }

    public ServerSettings withMaxResultsPerRequest(int value) {
        return new ServerSettings(host, port, tokens, maxBodyBytes, value, drainTimeout, bodyTimeout, alerts);
    }

    public ServerSettings withDrainTimeout(Duration value) {
        return new ServerSettings(host, port, tokens, maxBodyBytes, maxResultsPerRequest, value, bodyTimeout, alerts);
    }

    public ServerSettings withAlerts(AlertSettings value) {
        return new ServerSettings(host, port, tokens, maxBodyBytes, maxResultsPerRequest, drainTimeout, bodyTimeout, value);
    }

    /** {@code true} when {@link #host()} resolves to a loopback address (only this machine can connect). */
    public boolean loopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigurationException("cannot resolve --host '" + host + "': " + e.getMessage()
                    + "; use an IP address such as 127.0.0.1 or 0.0.0.0", e);
        }
    }

    /**
     * Refuses settings that would expose an open server: anything but a loopback bind needs a write
     * token, or anyone on the network could write results; a read token alone is allowed, since such a
     * server refuses every write ({@link Tokens#readOnly()}). A token shorter than
     * {@link Tokens#MIN_LENGTH} (the triage token included) is refused there too (on loopback the server only warns
     * at start).
     */
    public void checkSafeToExpose() {
        if (loopback()) {
            return;
        }
        if (!tokens.hasWriteToken() && !tokens.readOnly()) {
            throw new ConfigurationException("refusing to listen on " + host + " without a write token: anyone who can "
                    + "reach this address could write results. Set BENCHMON_WRITE_TOKEN (and BENCHMON_READ_TOKEN to "
                    + "protect reads), or BENCHMON_READ_TOKEN alone for a read-only server, or pass --tokens-file, or "
                    + "bind to 127.0.0.1");
        }
        if (tokenWeakness() != null) {
            throw new ConfigurationException("refusing to listen on " + host + ": " + tokenWeakness());
        }
    }

    /**
     * What is wrong with the length of the server's tokens, the triage token of {@link #alerts()} included
     * ({@link Tokens#weakness(String)}); {@code null} when every one is long enough.
     */
    public String tokenWeakness() {
        return tokens.weakness(alerts.triageToken());
    }
}
