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
     * The refusal for {@code file}, read as a stream until a decoder failed on it: finds the first bad byte by reading
     * the file again (only then, so a valid file is read no more than before).
     */
    static CliException notUtf8(String label, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
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
