package dev.benchmon.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's sign-in sessions of one kind (read, triage): a browser that presented a valid token gets a random
 * id (32 bytes from {@link SecureRandom}, base64url, 43 characters) to keep in a cookie instead of the token, so the
 * token never sits in a browser, and ending the session (log out, expiry) ends what the cookie grants.
 *
 * <p>Sessions live in memory: a restart asks for the token again. Kept by the SHA-256 of each id, so a lookup's
 * timing says nothing about the live ids.
 */
public final class Sessions {
    /** How long a dashboard session lasts: a month, as people keep a dashboard tab open. */
    public static final Duration LIFETIME = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration lifetime;
    /** The digest of each open session's id to its expiry. */
    private final Map<String, Instant> open = new ConcurrentHashMap<>();

    public Sessions(Duration lifetime) {
        this.lifetime = lifetime;
    }

    /** Opens a session (dropping expired ones) and returns its id, for a browser that has shown a valid token. */
    public String open() {
        Instant now = Instant.now();
        open.values().removeIf(expiry -> !expiry.isAfter(now));
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
        Instant expiry = open.get(key(id));
        return expiry != null && expiry.isAfter(Instant.now());
    }

    /** Ends the session {@code id} (may be null or unknown: nothing happens). */
    public void close(String id) {
        if (id != null && !id.isEmpty()) {
            open.remove(key(id));
        }
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
