package dev.benchmon.server.cli;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where {@code benchmon export} writes as the rows come: standard output, or a file (--output) that appears only once
 * the export succeeded. A file's text goes to a temporary file beside it ({@code .NAME.RANDOM.tmp}, created at the first
 * write, so an export refused before its first row creates nothing), which {@link #commit} moves over the file
 * (atomically where the file system can); {@link #close} without a commit deletes it, so an export that fails midway
 * neither leaves a cut file that looks complete nor replaces the file an earlier export wrote. The replaced file's
 * permission bits are the new file's from its creation (owner, group, links and ACLs are not kept: it is a new file).
 * A path that exists and is not a regular file ({@code /dev/null}, a named pipe, {@code /dev/stdout}) is written
 * directly: renaming a file over it would replace the device or pipe itself (as root, {@code /dev/null}).
 */
final class ExportOutput implements Closeable {
    /** null: standard output. */
    private final Path file;
    private final PrintWriter stdout;
    private Path temp;
    private Writer out;
    private boolean committed;
    private IOException writeFailure;

    /** Writes to the destination, opening it at the first write; closing it only flushes ({@link #commit} ends the export). */
    private final Writer view = new Writer() {
        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            try {
                target().write(buffer, offset, length);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void write(String s, int offset, int length) throws IOException {
            try {
                target().write(s, offset, length);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void flush() throws IOException {
            if (out != null) {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw failed(e);
                }
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    };

    private IOException failed(IOException e) {
        if (writeFailure == null) {
            writeFailure = e;
        }
        return e;
    }

    /**
     * The first failure to open or write the destination, {@code null} if none: writers in between (the CSV writer, a
     * row loop) wrap it in exceptions of their own, and "No space left on device" is what the user needs to read.
     */
    IOException writeFailure() {
        return writeFailure;
    }

    private ExportOutput(Path file, PrintWriter stdout) {
        this.file = file;
        this.stdout = stdout;
    }

    /** To {@code file}, or to {@code stdout} when it is null. */
    static ExportOutput of(Path file, PrintWriter stdout) {
        return new ExportOutput(file, stdout);
    }

    /**
     * Refuses (exit 2) an output file that cannot be written, before the command reads anything: its folder is
     * missing or no folder, it is a folder itself, or its folder is not writable. Without this the export read every
     * row first and then failed on the file as an unexpected failure (exit 4) asking for a bug report.
     *
     * @param option the option that named the file, e.g. {@code --output}
     */
    static void requireWritable(Path file, String option) {
        requireWritable(file, option, false);
    }

    /**
     * {@link #requireWritable(Path, String)} for a file written {@code inPlace} (opened and overwritten, as
     * {@code compare --flips} writes it) or, if not, replaced by a temporary file beside it (as an export's is): an
     * existing file written in place must itself be writable, its folder need not be.
     */
    static void requireWritable(Path file, String option, boolean inPlace) {
        if (file == null) {
            return;
        }
        String cannot = "cannot write " + option + " " + file + ": ";
        if (Files.isDirectory(file)) {
            throw new CliException(ExitCodes.INVALID_INPUT, cannot + "it is a folder; give a file name in it, e.g. "
                    + option + " " + file.resolve("export.csv"));
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CliException(ExitCodes.INVALID_INPUT, cannot + (dir != null && Files.exists(dir)
                    ? dir + " is a file, not a folder" : "no such folder " + dir)
                    + "; create the folder first (mkdir -p), or give a path in an existing one");
        }
        if (inPlace && Files.exists(file)) {
            if (!Files.isWritable(file)) {
                throw new CliException(ExitCodes.INVALID_INPUT, cannot + "no permission to write it; give another path, "
                        + "or make it writable");
            }
            return;
        }
        // a regular file is replaced by a temporary file beside it (a device or pipe is written directly)
        if ((!Files.exists(file) || Files.isRegularFile(file)) && !Files.isWritable(dir)) {
            throw new CliException(ExitCodes.INVALID_INPUT, cannot + "no permission to create a file in " + dir
                    + "; give a path in a folder you can write to");
        }
    }

    /**
     * The refusal of {@code file} (named by {@code option}) that the OS would not let the export create or write,
     * {@code e} saying why: a path refused as given (no permission, no such place, a read-only file system) is invalid
     * input (exit 2), any other failure (a full disk) a failure of the environment (exit 4).
     */
    static CliException cannotWrite(Path file, String option, IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof AccessDeniedException ? "permission denied"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof AccessDeniedException && !reason.contains("permission")) {
            reason = "permission denied: " + reason;
        }
        boolean path = e instanceof AccessDeniedException || e instanceof NoSuchFileException
                || e instanceof java.nio.file.NotDirectoryException || reason.toLowerCase(java.util.Locale.ROOT).contains("read-only");
        return new CliException(path ? ExitCodes.INVALID_INPUT : ExitCodes.FAILURE, "cannot write " + option + " "
                + file + ": " + reason + (path ? "; give a path in a folder you can write to" : "; nothing was written there"), e);
    }

    /** The writer the export writes its text to (UTF-8 in a file). */
    Writer writer() {
        return view;
    }

    /**
     * Ends a successful export: flushes standard output (a pipe closed early or a full disk behind it is an
     * {@link IOException}: a PrintWriter keeps those to itself), or closes the temporary file and moves it over the file.
     */
    void commit() throws IOException {
        Writer w = target(); // an export of nothing still writes its (empty) file
        if (file == null) {
            w.flush(); // StdoutClosed when standard output was closed
            committed = true;
            return;
        }
        w.close();
        if (temp == null) { // written directly (not a regular file)
            committed = true;
            return;
        }
        Path target = target(file);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** After a failure (no commit): deletes the temporary file; standard output keeps what was written, flushed. */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        if (file == null) {
            if (out != null) {
                out.flush();
            }
            return;
        }
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            // a full disk, say: the export failed anyway, and the file goes
        } finally {
            if (temp != null) { // created even when opening its writer failed after
                Files.deleteIfExists(temp);
            }
        }
    }

    private Writer target() throws IOException {
        if (out == null) {
            out = file == null ? new BufferedWriter(new StdoutWriter(), 1 << 16) : openTemp();
        }
        return out;
    }

    /**
     * Standard output was closed while the export wrote to it (a PrintWriter keeps its IOException to itself, so each
     * 64 KiB passed on is checked): {@code benchmon export | head -1}. The export stops reading rows there.
     */
    static final class StdoutClosed extends IOException {
        StdoutClosed() {
            super("writing standard output failed (its reader closed it early)");
        }
    }

    /**
     * Standard output failed while it is a file or device, not a pipe: no reader left, so the disk behind it is full
     * or failing (checkError cannot say which error it was, so where fd 1 goes tells: {@code /proc/self/fd/1}).
     */
    static final class StdoutFailed extends IOException {
        StdoutFailed(String target) {
            super("writing standard output (" + target + ") failed part way, so the rows written there are cut off: is "
                    + "its disk full? Free space, or export to another place with -o FILE, and export again");
        }
    }

    /**
     * Where standard output goes when it is a file or device ({@code /proc/self/fd/1}'s target), or {@code null} when
     * it is a pipe, a socket or a terminal, or cannot be told (no /proc): there a failed write means its reader left.
     */
    static String stdoutFileTarget() {
        if (System.console() != null) {
            return null;
        }
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("pipe:") || target.startsWith("socket:") ? null : target;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Whether {@code e} is, or was caused by, standard output closed under the export ({@link StdoutClosed}). */
    static boolean stdoutClosed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StdoutClosed) {
                return true;
            }
        }
        return false;
    }

    /** {@link #stdout}, failing a write or flush with {@link StdoutClosed} once the PrintWriter saw its stream fail. */
    private final class StdoutWriter extends Writer {
        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            stdout.write(buffer, offset, length);
            check();
        }

        @Override
        public void flush() throws IOException {
            check(); // flushes, and says whether the stream failed
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        private void check() throws IOException {
            // The command line's writer wraps System.out, a PrintStream that keeps a broken pipe to itself too.
            if (stdout.checkError() || System.out.checkError()) {
                String file = stdoutFileTarget();
                throw failed(file == null ? new StdoutClosed() : new StdoutFailed(file));
            }
        }
    }

    /**
     * The temporary file in the directory of the file it replaces, created with that file's permission bits (a file only
     * its owner could read stays so, from the first row) or a new file's; or, for a path that is no regular file, that
     * path itself.
     */
    private Writer openTemp() throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "Is a directory");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8); // a device or pipe: no file to replace
        }
        Path target = target(file);
        Path dir = target.toAbsolutePath().getParent();
        Path name = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try {
            Set<PosixFilePermission> bits = Files.exists(target) ? permissionsOf(target) : null;
            if (bits != null) {
                // created with them (never wider than the file's, whatever the umask), then set exactly (the umask
                // narrowed them)
                Files.createFile(name, PosixFilePermissions.asFileAttribute(bits));
                temp = name;
                Files.setPosixFilePermissions(temp, bits);
            } else {
                Files.createFile(name);
                temp = name;
            }
            // Interrupted (Ctrl-C, a cancelled CI job), the JVM still removes it; after the move nothing is there.
            temp.toFile().deleteOnExit();
            return Files.newBufferedWriter(temp, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString()); // the folder is missing: named by the path asked for
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(file.toString(), null, "cannot create a file in " + dir);
        }
    }

    /** {@code target}'s permission bits, {@code null} where the file system has none. */
    private static Set<PosixFilePermission> permissionsOf(Path target) throws IOException {
        try {
            return Files.getPosixFilePermissions(target);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /** The file written: where a symbolic link points, as writing through the link wrote there. */
    private static Path target(Path file) throws IOException {
        return Files.isSymbolicLink(file) && Files.exists(file) ? file.toRealPath() : file;
    }
}
