package dev.benchmon.server.cli;

import dev.benchmon.server.Tokens;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where {@code serve} gets its tokens: {@code BENCHMON_WRITE_TOKEN} / {@code BENCHMON_READ_TOKEN}, or
 * a tokens file (properties: {@code write_token=...} and {@code read_token=...}), whose values win. A value in
 * matching quotes ({@code read_token="..."} or {@code '...'}, as .env files and shells write it) is the text between
 * them; a value with a quote at one end only is refused at start, naming its line: the quote would otherwise become
 * part of the token, so the real token is refused and only the quoted one answered.
 */
final class TokenSources {
    private TokenSources() {
    }

    /** The tokens from the environment and, when given, the file. */
    static Tokens load(Map<String, String> env, Path file, java.io.PrintWriter err) {
        String write = env.get("BENCHMON_WRITE_TOKEN");
        String read = env.get("BENCHMON_READ_TOKEN");
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new CliException(ExitCodes.INVALID_INPUT, "cannot read --tokens-file " + file + ": " + e.getMessage()
                        + "; it should hold lines write_token=... and read_token=...");
            }
            // A misspelt write_token would otherwise leave pushes open, or the token unset.
            String unknown = dev.benchmon.server.Tokens.unknownKeys(p.stringPropertyNames(),
                    java.util.List.of("write_token", "read_token"),
                    k -> k.contains("token") || k.matches("[a-z]{1,12}_[a-z]{1,12}")); // write_tokn; no secret reads so
            if (unknown != null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "--tokens-file " + file + " " + unknown);
            }
            write = unquoted(file, "write_token", p.getProperty("write_token"), write);
            read = unquoted(file, "read_token", p.getProperty("read_token"), read);
            if (p.getProperty("write_token") == null && p.getProperty("read_token") == null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "--tokens-file " + file + " has neither write_token nor "
                        + "read_token; write lines like write_token=<secret>");
            }
            warnIfReadableByOthers(file, err);
        }
        return Tokens.of(write, read);
    }

    /** The file's value of {@code key} without matching surrounding quotes; {@code fallback} when the file has none. */
    private static String unquoted(Path file, String key, String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        String v = value.strip();
        boolean opens = v.startsWith("\"") || v.startsWith("'");
        boolean closes = v.endsWith("\"") || v.endsWith("'");
        if (v.length() >= 2 && opens && v.charAt(0) == v.charAt(v.length() - 1)) {
            return v.substring(1, v.length() - 1);
        }
        if (opens || closes) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--tokens-file " + file + lineOf(file, key) + ": " + key
                    + " has a quote at one end only; write " + key + "=<secret> or " + key + "=\"<secret>\"");
        }
        return value;
    }

    /** " line N" of {@code key}'s last line in {@code file} (the one Properties keeps), or "" if not found. */
    private static String lineOf(Path file, String key) {
        try {
            java.util.List<String> lines = Files.readAllLines(file);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).strip().matches(java.util.regex.Pattern.quote(key) + "\\s*[=:\\s].*")) {
                    return " line " + (i + 1);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // read once already; a second read failing only loses the line number
        }
        return "";
    }

    private static void warnIfReadableByOthers(Path file, java.io.PrintWriter err) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                err.println("warning: " + file + " is readable by other users; run: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
