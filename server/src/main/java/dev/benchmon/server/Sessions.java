package dev.benchmon.server;

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

/**
 * The dashboard's sign-in sessions of one kind (read, triage): a browser that presented a valid token gets a random
 * id (32 bytes from {@link SecureRandom}, base64url, 43 characters) to keep in a cookie instead of the token, so the
 * token never sits in a browser, and ending the session (log out, expiry) ends what the cookie grants.
 *
 * <p>Sessions live in memory: a restart asks for the token again. Kept by the SHA-256 of each id, so a lookup's
 * timing says nothing about the live ids. At most {@link #MAX_OPEN} are open at once: anyone with the token could
 * otherwise grow the heap by scripted sign-ins for a month; past the cap, opening a session ends the oldest one
 * (the one closest to expiry, as every session lasts as long).
 */
public final class Sessions {
    /** How long a dashboard session lasts: a month, as people keep a dashboard tab open. */
    public static final Duration LIFETIME = Duration.ofDays(30);
    /** How many sessions of one kind may be open at once (a few MB at most of digests and expiries). */
    public static final int MAX_OPEN = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration lifetime;
    private final int maxOpen;
    private final Clock clock;
    /**
     * The digest of each open session's id to its expiry, oldest first (insertion order: every session lasts
     * {@link #lifetime}, so the first is the closest to expiry). Guarded by {@code this}.
     */
    private final LinkedHashMap<String, Instant> open = new LinkedHashMap<>();

    public Sessions(Duration lifetime) {
        this(lifetime, MAX_OPEN, Clock.systemUTC());
    }

    /** For tests: a cap other than {@link #MAX_OPEN} and a clock to move. */
    Sessions(Duration lifetime, int maxOpen, Clock clock) {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen: must be at least 1, was " + maxOpen);
        }
        this.lifetime = lifetime;
        this.maxOpen = maxOpen;
        this.clock = clock;
    }

    /**
     * Opens a session and returns its id, for a browser that has shown a valid token. Drops expired sessions first,
     * then, with {@link #MAX_OPEN} still open, ends the oldest.
     */
    public synchronized String open() {
        Instant now = clock.instant();
        // Oldest first, so expired ones lead; a clock set back may leave some behind (valid() still refuses them).
        for (Iterator<Instant> it = open.values().iterator(); it.hasNext() && !it.next().isAfter(now); ) {
            it.remove();
        }
        while (open.size() >= maxOpen) {
            Iterator<String> oldest = open.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        open.put(key(text), now.plus(lifetime));
        return text;
    }

    /** Whether {@code id} (may be null) is an open, unexpired session. */
    public boolean valid(String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        String key = key(id);
        Instant expiry;
        synchronized (this) {
            expiry = open.get(key);
        }
        return expiry != null && expiry.isAfter(clock.instant());
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

    /** How many sessions are held (expired ones included until the next {@link #open}), for tests. */
    synchronized int size() {
        return open.size();
    }

    /** How long a session lasts, in whole seconds (a cookie's Max-Age). */
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
