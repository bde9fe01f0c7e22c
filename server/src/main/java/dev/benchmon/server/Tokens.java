package dev.benchmon.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer tokens the server accepts: a write token (push) and a read token (queries and the
 * dashboard). The write token also reads. With no read token, reads are open; with no tokens at
 * all, everything is open (allowed on a loopback bind only; see the server's start checks). With a
 * read token but no write token the server is read-only: writes are refused, never silently open.
 *
 * <p>Tokens are compared in constant time (over SHA-256 digests, so not even their length leaks)
 * and never appear in {@link #toString()} or logs. The dashboard's browsers keep a {@link #readSessions() session
 * id} instead of the read token.
 */
public final class Tokens {
    /**
     * Cookie the dashboard's login form sets: the id of a {@link #readSessions() read session}, never a token.
     * HttpOnly, SameSite=Strict, Secure over HTTPS.
     */
    public static final String COOKIE = "benchmon_token";

    /** What a presented token allows. */
    public enum Access { NONE, READ, WRITE }

    /** Shortest token a server reachable from the network accepts: a short one is guessed by trying. */
    public static final int MIN_LENGTH = 16;

    private final byte[] writeDigest;
    private final byte[] readDigest;
    /** The variables of the configured tokens shorter than {@link #MIN_LENGTH} (their lengths are not kept). */
    private final java.util.List<String> tooShort;
    /** The dashboard's sessions opened with the read token (the {@link #COOKIE} cookie holds their ids). */
    private final Sessions readSessions = new Sessions();

    private Tokens(String writeToken, String readToken) {
        this.writeDigest = digest(writeToken);
        this.readDigest = digest(readToken);
        java.util.List<String> names = new java.util.ArrayList<>();
        if (tooShort(writeToken)) names.add("the write token (BENCHMON_WRITE_TOKEN, or write_token in --tokens-file)");
        if (tooShort(readToken)) names.add("the read token (BENCHMON_READ_TOKEN, or read_token in --tokens-file)");
        this.tooShort = java.util.List.copyOf(names);
    }

    /** Tokens from values; {@code null} or blank means "not configured". */
    public static Tokens of(String writeToken, String readToken) {
        return new Tokens(blankToNull(writeToken), blankToNull(readToken));
    }

    /** No tokens: an open server (loopback only). */
    public static Tokens none() {
        return new Tokens(null, null);
    }

    public boolean hasWriteToken() {
        return writeDigest != null;
    }

    public boolean hasReadToken() {
        return readDigest != null;
    }

    /** The one length rule of every token the server accepts: {@code token} ({@code null}: none) is shorter than {@link #MIN_LENGTH}. */
    private static boolean tooShort(String token) {
        return token != null && token.length() < MIN_LENGTH;
    }

    /**
     * What is wrong with the length of these tokens and of the triage token ({@code BENCHMON_TRIAGE_TOKEN}, kept with
     * the alert settings; {@code null} when none), naming their variables (never a token): "the write token
     * (BENCHMON_WRITE_TOKEN, ...) is shorter than 16 characters ..."; {@code null} when every token is long enough.
     * The triage token changes what the detector reports (exclusions, mutes), so it is held to the same rule: refused
     * off loopback, warned about on loopback ({@link ServerSettings#tokenWeakness()}).
     */
    public String weakness(String triageToken) {
        java.util.List<String> names = new java.util.ArrayList<>(tooShort);
        if (tooShort(triageToken)) names.add("the triage token (BENCHMON_TRIAGE_TOKEN)");
        if (names.isEmpty()) {
            return null;
        }
        String joined = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
        return joined + (names.size() == 1 ? " is" : " are") + " shorter than " + MIN_LENGTH
                + " characters, easy to guess by trying; use a random token, e.g. openssl rand -hex 32";
    }

    /** {@code true} when reads need a token (a read token is configured). */
    public boolean readRequiresToken() {
        return readDigest != null;
    }

    /** {@code true} when writes need a token (a write token is configured). */
    public boolean writeRequiresToken() {
        return writeDigest != null;
    }

    /**
     * {@code true} when nobody may write: a read token is configured but no write token. Protecting
     * reads and leaving writes open would be a trap, so such a server is read-only.
     */
    public boolean readOnly() {
        return writeDigest == null && readDigest != null;
    }

    /** What {@code presented} (may be {@code null}) allows, before the open/closed rules are applied. */
    public Access accessOf(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Access.NONE;
        }
        byte[] d = digest(presented);
        // Evaluate both comparisons every time: constant time whatever matches.
        boolean write = writeDigest != null && MessageDigest.isEqual(d, writeDigest);
        boolean read = readDigest != null && MessageDigest.isEqual(d, readDigest);
        if (write) {
            return Access.WRITE;
        }
        return read ? Access.READ : Access.NONE;
    }

    /**
     * The dashboard's read sessions: the login form opens one for the read token, and the {@link #COOKIE} cookie
     * holding its id reads (pages and GET API) until it expires ({@link Sessions}: idle or too old), its browser signs in
     * again or logs out.
     */
    public Sessions readSessions() {
        return readSessions;
    }

    /** May this token read? */
    public boolean canRead(String presented) {
        return !readRequiresToken() || accessOf(presented) != Access.NONE;
    }

    /** May this token write? */
    public boolean canWrite(String presented) {
        if (readOnly()) {
            return false;
        }
        return !writeRequiresToken() || accessOf(presented) == Access.WRITE;
    }

    private static byte[] digest(String token) {
        if (token == null) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() {
        return "Tokens[write=" + (hasWriteToken() ? "****" : "none") + ", read=" + (hasReadToken() ? "****" : "none") + "]";
    }

    /**
     * The refusal of a tokens or settings file's keys that benchmon does not read, or {@code null} when it reads them
     * all: {@code has a key benchmon does not know: write_tokn; the keys it reads are write_token, read_token}, each
     * unknown key as {@link #shownKey} shows it.
     *
     * @param keys           the file's keys
     * @param known          the keys benchmon reads there, in the order they are listed
     * @param namedLikeAKey  whether an unknown key reads as a misspelt key, and so is shown whole
     */
    public static String unknownKeys(java.util.Collection<String> keys, java.util.List<String> known,
                                     java.util.function.Predicate<String> namedLikeAKey) {
        java.util.List<String> unknown = keys.stream().filter(k -> !known.contains(k)).sorted().toList();
        if (unknown.isEmpty()) {
            return null;
        }
        return "has " + (unknown.size() == 1 ? "a key" : "keys") + " benchmon does not know: "
                + String.join(", ", unknown.stream().map(k -> shownKey(k, namedLikeAKey.test(k))).toList())
                + "; the keys it reads are " + String.join(", ", known);
    }

    /**
     * A key of a tokens or settings file that benchmon does not read, as a refusal may show it: whole when
     * {@code namedLikeAKey} (it reads as a misspelt key, {@code writ_token}, {@code BENCHMON_WEBHOK_URL}), else its
     * first two characters and its length: a line holding only a secret (no {@code =}) is read as a key, and a secret
     * is never logged.
     */
    static String shownKey(String key, boolean namedLikeAKey) {
        if (namedLikeAKey) {
            return key;
        }
        return "'" + key.substring(0, Math.min(2, key.length())) + "...' (" + key.length() + " characters; shown cut, as it may"
                + " be a secret)";
    }
}
