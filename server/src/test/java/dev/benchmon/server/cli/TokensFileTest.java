package dev.benchmon.server.cli;

import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.benchmon.server.cli.ServeProcessTest.serve;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code serve --tokens-file} as a user writes it, quotes included, read by a real server process. */
class TokensFileTest {
    private static final String READ = "rtok-quoted-0123456789abcdef";
    private static final Pattern URL = Pattern.compile("running at (http://\\S+/)");

    @TempDir
    Path dir;

    private static int status(String url, String bearer) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "api/v1/meta"))
                .header("Authorization", "Bearer " + bearer).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void a_value_in_matching_quotes_is_the_token_between_them() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.env"),
                "write_token='wtok-quoted-0123456789abcdef'\nread_token=\"" + READ + "\"\n");
        ProcessBuilder pb = serve("--port", "0", "--tokens-file", file.toString(),
                "--db", TestServer.freshDatabaseUrlWithCredentials());
        Path log = dir.resolve("serve.log");
        Process process = pb.redirectOutput(log.toFile()).start();
        try {
            String url = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (url == null && System.nanoTime() < deadline && process.isAlive()) {
                Matcher m = URL.matcher(Files.readString(log));
                url = m.find() ? m.group(1) : null;
                Thread.sleep(100);
            }
            assertThat(url).as(Files.readString(log)).isNotNull();

            assertThat(status(url, READ)).isEqualTo(200);
            assertThat(status(url, "\"" + READ + "\"")).isEqualTo(401);
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }

    @Test
    void a_value_with_a_quote_at_one_end_only_is_refused_at_start_naming_its_line() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.env"),
                "# tokens\nwrite_token=wtok-quoted-0123456789abcdef\nread_token=\"" + READ + "\n");
        Process process = serve("--port", "0", "--tokens-file", file.toString(),
                "--db", TestServer.freshDatabaseUrlWithCredentials()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(out).contains("--tokens-file " + file + " line 3: read_token has a quote at one end only")
                .doesNotContain(READ).doesNotContain("running at");
    }

    @Test
    void a_key_it_does_not_know_is_refused_at_start_naming_the_keys_it_reads() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.env"),
                "write_tokn=wtok-quoted-0123456789abcdef\nread_token=" + READ + "\n");
        String out = ServeProcessTest.refusedAtStart("--tokens-file", file.toString());

        assertThat(out).contains("error: --tokens-file " + file + " has a key benchmon does not know: write_tokn; "
                        + "the keys it reads are write_token, read_token")
                .doesNotContain(READ).doesNotContain("running at");
    }

    /** A line holding only the secret is read as a key: the refusal must not print it (tokens are never logged). */
    @Test
    void a_line_holding_only_a_secret_is_refused_without_printing_it() throws Exception {
        String secret = "s3cretOnALineOfItsOwn0123456789";
        Path file = Files.writeString(dir.resolve("tokens-bare.env"), "read_token=" + READ + "\n" + secret + "\n");
        String out = ServeProcessTest.refusedAtStart("--tokens-file", file.toString());

        assertThat(out).contains("has a key benchmon does not know: 's3...' (31 characters; shown cut, as it may be a secret)")
                .doesNotContain(secret).doesNotContain(READ);
    }
}
