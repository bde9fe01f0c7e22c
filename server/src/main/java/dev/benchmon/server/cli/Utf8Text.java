package dev.benchmon.server.cli;

import dev.benchmon.ingest.ByteOrderMark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;

/**
 * Input files are UTF-8 text. One that is not is refused saying so and where, since Java's own words for it
 * ({@code MalformedInputException: Input length = 1}) tell a user neither; decoding never replaces a bad byte with
 * U+FFFD, which would store a name other than the one sent.
 */
final class Utf8Text {
    private static final int CHUNK = 64 * 1024;

    private Utf8Text() {
    }

    /**
     * {@code bytes} as text, without a leading byte-order mark ({@link ByteOrderMark}).
     *
     * @param label the file as the user named it ({@code <stdin>} for standard input)
     * @throws CliException (invalid input) when the bytes are not UTF-8, naming the first bad byte's offset
     */
    static String decode(byte[] bytes, String label) {
        try {
            return ByteOrderMark.skip(strictDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            throw notUtf8(label, firstBadByte(new ByteArrayInputStream(bytes)).orElse(0));
        }
    }

    /**
     * {@code bytes}, decompressed when they are gzip's (they start with its magic bytes 1f 8b: a {@code .jsonl.gz}, or
     * {@code gzip -c} piped in), else as they are.
     *
     * @param label the file as the user named it, for the refusal of a gzip stream that is cut off or corrupt
     */
    static byte[] gunzipped(byte[] bytes, String label) {
        if (!gzip(bytes)) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw notGzip(label, e);
        }
    }

    /**
     * {@code file}'s bytes, decompressed as they are read when the file is gzip's ({@link #gunzipped}). A corrupt gzip
     * stream fails a read with an {@link IOException} ({@link #notGzip} words it).
     */
    static InputStream open(Path file, String label) throws IOException {
        InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        byte[] magic = in.readNBytes(2);
        in.reset();
        if (!gzip(magic)) {
            return in;
        }
        try {
            return new GZIPInputStream(in, CHUNK); // reads the header: a damaged or cut-off one fails here
        } catch (IOException e) {
            in.close();
            throw notGzip(label, e);
        }
    }

    /** {@code file} as UTF-8 text (a bad byte fails a read), decompressed when it is gzip's, without a byte-order mark. */
    static java.io.Reader reader(Path file, String label) throws IOException {
        InputStream in = open(file, label);
        return ByteOrderMark.skip(new java.io.BufferedReader(new java.io.InputStreamReader(in, strictDecoder()), CHUNK));
    }

    /** The refusal of {@code label}, which starts as gzip does but cannot be decompressed ({@code e} says why). */
    static CliException notGzip(String label, IOException e) {
        // EOFException has no message: the stream ended inside gzip's header or data.
        String why = e instanceof java.io.EOFException ? "it ends part way" : e.getMessage() != null ? e.getMessage()
                : e.getClass().getSimpleName();
        return new CliException(ExitCodes.INVALID_INPUT, label + " starts as a gzip file does, but cannot be "
                + "decompressed (" + why + "): is it cut off or damaged?"
                + (label.equals("<stdin>") ? "" : " gzip -t " + label + " checks it"));
    }

    private static boolean gzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    /**
     * The refusal for {@code file}, read as a stream until a decoder failed on it: finds the first bad byte by reading
     * the file again (only then, so a valid file is read no more than before); its offset in the decompressed text
     * when the file is gzip's.
     */
    static CliException notUtf8(String label, Path file) {
        try (InputStream in = open(file, label)) {
            return notUtf8(label, firstBadByte(in).orElse(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CliException notUtf8(String label, long offset) {
        return new CliException(ExitCodes.INVALID_INPUT, label + " is not UTF-8 text (first bad byte at offset " + offset
                + "): save it as UTF-8");
    }

    /** The offset of the first byte that is not part of valid UTF-8 (a sequence cut off at the end included), if any. */
    static OptionalLong firstBadByte(InputStream in) {
        CharsetDecoder decoder = strictDecoder();
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK);
        CharBuffer chars = CharBuffer.allocate(CHUNK);
        long offset = 0; // bytes decoded before bytes.position()
        boolean end = false;
        try {
            while (true) {
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                end = n < 0;
                bytes.position(bytes.position() + Math.max(n, 0));
                bytes.flip();
                CoderResult result;
                do {
                    int before = bytes.position();
                    result = decoder.decode(bytes, chars, end);
                    offset += bytes.position() - before;
                    chars.clear();
                } while (result.isOverflow());
                if (result.isError()) {
                    return OptionalLong.of(offset);
                }
                if (end) {
                    return OptionalLong.empty();
                }
                bytes.compact(); // keeps a sequence cut by the chunk's end for the next read
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
