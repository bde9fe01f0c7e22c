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
 * a tokens file (properties: {@code write_token=...} and {@code read_token=...}), whose values win.
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
            write = p.getProperty("write_token", write);
            read = p.getProperty("read_token", read);
            if (p.getProperty("write_token") == null && p.getProperty("read_token") == null) {
                throw new CliException(ExitCodes.INVALID_INPUT, "--tokens-file " + file + " has neither write_token nor "
                        + "read_token; write lines like write_token=<secret>");
            }
            warnIfReadableByOthers(file, err);
        }
        return Tokens.of(write, read);
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
