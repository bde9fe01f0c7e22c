package dev.benchmon.ingest.adapters;

import dev.benchmon.ingest.TextRules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names an adapter takes from a tool's output that can be longer than a stored name may be
 * ({@value TextRules#MAX_NAME_LENGTH} characters): a pytest-benchmark test id built from parameter values
 * ({@code test_parse[<a long string>]}), a Google Benchmark name with template arguments. The user cannot change such a
 * name, and one long id must not refuse the whole report, so it is stored shortened: its first
 * {@value #KEPT} characters (code points), {@code ~}, and the first {@value #HASH_DIGITS} hex digits of the SHA-256 of
 * the whole name (UTF-8). The same name is shortened the same way in every report (its series stays one series), and
 * two names that share their first {@value #KEPT} characters stay apart. Names the user gives
 * ({@code --dataset-version}, benchmon's own format) are never shortened: a name too long there is refused.
 */
final class DerivedNames {
    /** Code points of the name kept before the hash. */
    static final int KEPT = 180;
    /** Hex digits of the SHA-256 of the whole name that follow {@code ~}. */
    static final int HASH_DIGITS = 12;

    private DerivedNames() {
    }

    /** {@code name} as stored: itself when it fits (or is {@code null}), else shortened as described above. */
    static String shortened(String name) {
        if (name == null || name.codePointCount(0, name.length()) <= TextRules.MAX_NAME_LENGTH) {
            return name;
        }
        String kept = name.substring(0, name.offsetByCodePoints(0, KEPT));
        return kept + "~" + sha256(name).substring(0, HASH_DIGITS);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
