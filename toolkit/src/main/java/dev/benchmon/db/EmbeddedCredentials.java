package dev.benchmon.db;

import dev.benchmon.ConfigurationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The embedded database's superuser password: random, created once, kept in a file next to the
 * data directory that only its owner can read, so that every process of that user (the server, a
 * notebook) can log in and nobody else on the machine can.
 */
final class EmbeddedCredentials {
    private EmbeddedCredentials() {
    }

    /** {@code ~/.benchmon/pgdata} keeps its password in {@code ~/.benchmon/pgdata.password}. */
    static Path fileFor(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".password");
    }

    /** {@code ~/.benchmon/pgdata} keeps the app login's password in {@code ~/.benchmon/pgdata.app-password}. */
    static Path appFileFor(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".app-password");
    }

    /** The password in {@code file}, creating the file with a new random one when absent. */
    static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[24];
                new SecureRandom().nextBytes(bytes);
                String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(file); // e.g. Windows: the user profile is private already
                } catch (FileAlreadyExistsException raced) {
                    return read(file); // another process created it first
                }
                Files.writeString(file, fresh + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
                return fresh;
            }
            return read(file);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read or create the embedded database password file " + file
                    + ": " + e.getMessage() + "; check that BENCHMON_HOME is a folder you own", e);
        }
    }

    private static String read(Path file) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                return lines.get(0).trim();
            }
            try {
                Thread.sleep(20); // being written by the process that created it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IOException("the file is empty; delete it only if the data directory beside it is new");
    }
}
