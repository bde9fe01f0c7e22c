package dev.benchmon.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * The dashboard's sign-in sessions of one kind (read, triage): a browser that presented a valid token gets a random
 * id (32 bytes from {@link SecureRandom}, base64url, 43 characters) to keep in a cookie instead of the token, so the
 * token never sits in a browser, and ending the session (log out, sign in again, expiry) ends what the cookie grants.
 *
 * <p>A session ends after {@link #IDLE_TIMEOUT} without use (any page or request its cookie opens counts as use) and
 * at the latest {@link #ABSOLUTE_LIFETIME} after it was opened, however much it is used (OWASP's session management
 * guidance: an idle and an absolute timeout). Both are constants, not settings: nobody has asked to change them.
 *
 * <p>Sessions live in memory: a restart asks for the token again. Kept by the SHA-256 of each id, so a lookup's
 * timing says nothing about the live ids.
 *
 * <p>At most {@link #MAX_OPEN} are open at once: anyone with the token could otherwise grow the heap by scripted
 * sign-ins. At the cap, a sign-in first drops the sessions that have ended (idle or too old); if every one is still
 * live, the sign-in is refused ({@link #open} is empty, the dashboard answers 503 with {@link #FULL}) and no live
 * session is ended. Ending the oldest instead, as this class did, let anyone holding the read token sign every other
 * reader out by {@code MAX_OPEN} scripted sign-ins. A bound per token would not help: every reader signs in with the
 * one read token (and every triager with the one write or triage token), so the token says nothing about who signs in,
 * and evicting the oldest session of the same token would let that script sign the others out with fewer sign-ins.
 * What a full table costs is new sign-ins, not the sessions people hold; a script must keep using its sessions to
 * keep them (each ends after {@link #IDLE_TIMEOUT} unused), and the server logs a warning the first time it refuses.
 */
public final class Sessions {
    /** How long a session lasts without use: a working day and a night, so a tab left open overnight still reads. */
    public static final Duration IDLE_TIMEOUT = Duration.ofHours(12);
    /** How long a session lasts at most, used or not: a week (also the cookie's Max-Age). */
    public static final Duration ABSOLUTE_LIFETIME = Duration.ofDays(7);
    /** How many sessions of one kind may be open at once (a few MB at most of digests and times). */
    public static final int MAX_OPEN = 10_000;
    /** Why a sign-in is refused when {@link #MAX_OPEN} live sessions are open (the dashboard's 503). */
    public static final String FULL = "sign-in refused: this server already holds the most dashboard sessions it keeps ("
            + String.format(java.util.Locale.ROOT, "%,d", MAX_OPEN) + "), none of them ended; a new one can start when "
            + "one ends (after " + IDLE_TIMEOUT.toHours() + " hours unused, " + ABSOLUTE_LIFETIME.toDays()
            + " days after its sign-in, or at log out); restarting the server ends them all";
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration idleTimeout;
    private final Duration lifetime;
    private final int maxOpen;
    private final Clock clock;
    /**
     * The digest of each open session's id to its times, oldest first (insertion order: every session lasts at most
     * {@link #lifetime}, so the first is the closest to its absolute end). Guarded by {@code this}.
     */
    private final LinkedHashMap<String, Session> open = new LinkedHashMap<>();
    /** Whether a sign-in refused at the cap was logged (once is enough to point at a script). Guarded by {@code this}. */
    private boolean fullLogged;

    /** When a session ends at the latest, and when it was last used (guarded by the {@link Sessions} holding it). */
    private static final class Session {
        final Instant end;
        Instant lastUsed;

        Session(Instant opened, Duration lifetime) {
            this.end = opened.plus(lifetime);
            this.lastUsed = opened;
        }
    }

    /** Sessions with {@link #IDLE_TIMEOUT}, {@link #ABSOLUTE_LIFETIME} and {@link #MAX_OPEN}. */
    public Sessions() {
        this(IDLE_TIMEOUT, ABSOLUTE_LIFETIME, MAX_OPEN, Clock.systemUTC());
    }

    /** For tests: other timeouts, a cap other than {@link #MAX_OPEN} and a clock to move. */
    Sessions(Duration idleTimeout, Duration lifetime, int maxOpen, Clock clock) {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen: must be at least 1, was " + maxOpen);
        }
        this.idleTimeout = idleTimeout;
        this.lifetime = lifetime;
        this.maxOpen = maxOpen;
        this.clock = clock;
    }

    /**
     * Opens a session and returns its id, for a browser that has shown a valid token; empty when {@link #MAX_OPEN}
     * sessions are open and none of them has ended (no live session is ended to make room; see the class comment).
     */
    public synchronized Optional<String> open() {
        Instant now = clock.instant();
        // Oldest first, so those past their absolute end lead; a clock set back may leave some behind (valid() still
        // refuses them), and idle ones wait for the cap.
        for (Iterator<Session> it = open.values().iterator(); it.hasNext() && !it.next().end.isAfter(now); ) {
            it.remove();
        }
        if (open.size() >= maxOpen) {
            open.values().removeIf(session -> !live(session, now));
        }
        if (open.size() >= maxOpen) {
            if (!fullLogged) {
                fullLogged = true;
                LOG.warn("refused a dashboard sign-in: {} sessions of one kind are open and none has ended, the most "
                        + "this server keeps; someone holding a token may be signing in by script. Sessions end after "
                        + "{} unused; restarting the server ends them all (logged once)", maxOpen,
                        idleTimeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
            }
            return Optional.empty();
        }
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        open.put(key(text), new Session(now, lifetime));
        return Optional.of(text);
    }

    /**
     * Whether {@code id} (may be null) is an open session, neither idle for {@link #IDLE_TIMEOUT} nor past
     * {@link #ABSOLUTE_LIFETIME}; if it is, this use restarts its idle time.
     */
    public boolean valid(String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        String key = key(id);
        Instant now = clock.instant();
        synchronized (this) {
            Session session = open.get(key);
            if (session == null || !live(session, now)) {
                return false;
            }
            session.lastUsed = now;
            return true;
        }
    }

    /** Whether {@code session} is neither past its absolute end nor idle too long at {@code now}. */
    private boolean live(Session session, Instant now) {
        return session.end.isAfter(now) && session.lastUsed.plus(idleTimeout).isAfter(now);
    }

    /** Ends the session {@code id} (may be null or unknown: nothing happens). */
    public void close(String id) {
        if (id != null && !id.isEmpty()) {
            String key = key(id);
            synchronized (this) {
                open.remove(key);
            }
        }
    }

    /** How many sessions are held (ended ones included until an {@link #open} drops them), for tests. */
    synchronized int size() {
        return open.size();
    }

    /** How long a session lasts at most, in whole seconds (a cookie's Max-Age; idle, it ends sooner). */
    public int maxAgeSeconds() {
        return (int) lifetime.toSeconds();
    }

    private static String key(String id) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
