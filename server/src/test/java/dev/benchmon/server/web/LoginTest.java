package dev.benchmon.server.web;

import dev.benchmon.Benchmon;
import dev.benchmon.server.Sessions;
import dev.benchmon.server.Tokens;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginTest {
    private static final String READ = "read-secret-123";
    private final DashboardFixture f = DashboardFixture.shared();
    private Javalin app;
    private String base;

    @BeforeAll
    void start() {
        app = DashboardFixture.serve(Tokens.of("write-secret-456", READ));
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    void stop() {
        app.stop();
    }

    @Test
    void withAReadTokenPagesSendTheBrowserToTheLoginFormAndBack() {
        HttpResponse<String> r = f.getAt(base, "/trends?range=7d");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/login?next=%2Ftrends%3Frange%3D7d");
        assertThat(f.getAt(base, "/snapshot.csv").statusCode()).isEqualTo(303);
        assertThat(f.getAt(base, "/trends/small-chart?range=7d&focus=x&chart=f1").statusCode()).isEqualTo(303);
        assertThat(f.getAt(base, "/login?next=%2Ftrends").body()).contains("name=\"next\" value=\"/trends\"")
                .contains("type=\"password\"");
    }

    /** Posts the sign-in form as a browser on this server's own login page does (with its Origin). */
    private HttpResponse<String> login(String form, String... headers) {
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("Origin", base),
                java.util.Arrays.stream(headers)).toArray(String[]::new);
        return f.postForm(base, "/login", form, all);
    }

    /** The {@code name=value} part of the login cookie a sign-in set. */
    private static String cookieOf(HttpResponse<String> login) {
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow(() -> new AssertionError(login.body()));
        return cookie.substring(0, cookie.indexOf(';'));
    }

    @Test
    void theRightTokenSetsAnHttpOnlyStrictCookieThatOpensThePages() {
        HttpResponse<String> login = login("token=" + READ + "&next=%2Fcompare");

        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/compare");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(Tokens.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/");
        HttpResponse<String> page = f.getAt(base, "/compare", "Cookie", cookieOf(login));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Log out");
    }

    @Test
    void theCookieHoldsARandomSessionIdNeverTheToken() {
        String first = cookieOf(login("token=" + READ));
        String second = cookieOf(login("token=" + READ));

        assertThat(first).doesNotContain(READ).matches(Tokens.COOKIE + "=[A-Za-z0-9_-]{43}");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void theCookieLastsSevenDaysAtMostAndSigningInAgainEndsTheOldSession() {
        String first = cookieOf(login("token=" + READ));
        HttpResponse<String> again = login("token=" + READ, "Cookie", first);

        assertThat(again.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=604800");
        assertThat(f.getAt(base, "/compare", "Cookie", first).statusCode()).isEqualTo(303);
        assertThat(f.getAt(base, "/compare", "Cookie", cookieOf(again)).statusCode()).isEqualTo(200);
    }

    @Test
    void aCookieHoldingTheReadTokenItselfOpensNothing() {
        assertThat(f.getAt(base, "/compare", "Cookie", Tokens.COOKIE + "=" + READ).statusCode()).isEqualTo(303);
    }

    @Test
    void overHttpsOrBehindATlsProxyTheCookieIsSecure() {
        HttpResponse<String> proxied = login("token=" + READ, "X-Forwarded-Proto", "https");
        HttpResponse<String> plain = login("token=" + READ);

        assertThat(proxied.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure");
        assertThat(plain.headers().firstValue("Set-Cookie").orElseThrow()).as("plain http on loopback")
                .doesNotContain("Secure");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "null"})
    void aSignInPostedFromAnotherSiteIsRefusedWithoutACookie(String origin) {
        HttpResponse<String> login = f.postForm(base, "/login", "token=" + READ + "&next=%2F", "Origin", origin);

        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(login.body()).contains("cross-origin sign-in refused").doesNotContain(READ);
    }

    /**
     * Behind nginx's default proxy_pass the server sees Host 127.0.0.1:port while the browser, on this very form,
     * sends the public origin: the refusal names both and the fix rather than blaming the form.
     */
    @Test
    void aSignInBehindAProxyThatRewroteHostNamesTheOriginTheHostAndTheFix() {
        HttpResponse<String> login = f.postForm(base, "/login", "token=" + READ + "&next=%2F",
                "Origin", "https://benchmon.example.com");

        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(login.body()).contains("the form came from https://benchmon.example.com")
                .contains("takes only 127.0.0.1:" + app.port())
                .contains("--public-url").contains("X-Forwarded-Host").doesNotContain(READ);
    }

    @Test
    void theRefusalEscapesTheOriginItQuotes() {
        HttpResponse<String> login = f.postForm(base, "/login", "token=" + READ, "Origin", "http://x<b>y");

        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(login.body()).contains("http://x&lt;b&gt;y").doesNotContain("x<b>y");
    }

    @Test
    void aSignInBehindAProxyThatSendsXForwardedHostIsAccepted() {
        HttpResponse<String> login = f.postForm(base, "/login", "token=" + READ, "Origin", "https://benchmon.example.com",
                "X-Forwarded-Host", "benchmon.example.com");

        assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
    }

    @Test
    void refusedSignInsAreLoggedOnceWithTheOriginAndHostButNoToken() {
        Javalin fresh = DashboardFixture.serve(Tokens.of("write-secret-456", READ));
        int port = fresh.port();
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            String url = "http://127.0.0.1:" + port;
            f.postForm(url, "/login", "token=" + READ, "Origin", "https://benchmon.example.com");
            f.postForm(url, "/login", "token=" + READ, "Origin", "https://benchmon.example.com");
        } finally {
            System.setErr(err);
            fresh.stop();
        }

        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log.lines().filter(l -> l.contains("refused a dashboard sign-in"))).singleElement().asString()
                .contains("WARN").contains("https://benchmon.example.com").contains("127.0.0.1:" + port)
                .contains("--public-url").doesNotContain(READ);
    }

    @Test
    void aSignInWithNeitherOriginNorRefererIsRefused() {
        HttpResponse<String> login = f.postForm(base, "/login", "token=" + READ + "&next=%2F");

        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void logoutEndsTheSessionOnTheServer() {
        String cookie = cookieOf(login("token=" + READ));

        f.postForm(base, "/logout", "", "Origin", base, "Cookie", cookie);

        assertThat(f.getAt(base, "/compare", "Cookie", cookie).statusCode()).isEqualTo(303);
    }

    /** Another site's page posting to /logout (the browser sends the cookie along) must not sign this browser out. */
    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "null", ""})
    void aLogoutPostedFromAnotherSiteIsRefusedAndTheSessionStays(String origin) {
        String cookie = cookieOf(login("token=" + READ));

        HttpResponse<String> out = origin.isEmpty() ? f.postForm(base, "/logout", "", "Cookie", cookie)
                : f.postForm(base, "/logout", "", "Origin", origin, "Cookie", cookie);

        assertThat(out.statusCode()).isEqualTo(403);
        assertThat(out.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(out.body()).contains("cross-origin log out refused: ")
                .contains(origin.equals("http://evil.example") ? "the form came from http://evil.example"
                        : "the browser sent no Origin or Referer")
                .contains("takes only 127.0.0.1:" + app.port()).contains("--public-url");
        assertThat(f.getAt(base, "/compare", "Cookie", cookie).statusCode()).isEqualTo(200);
    }

    /**
     * Anyone holding the read token can script sign-ins: once the server holds the most sessions it keeps, a sign-in
     * is refused (503, no cookie) rather than ending a session someone else is using. The script's 9,999 sign-ins are
     * opened in-process by the call the login form makes (over HTTP they take about a minute on this machine); the
     * person's sign-in, the refused one and the pages are real HTTP.
     */
    @Test
    void scriptedSignInsUpToTheCapSignNobodyElseOut() {
        Tokens tokens = Tokens.of("write-secret-456", READ);
        Javalin fresh = DashboardFixture.serve(tokens);
        String url = "http://127.0.0.1:" + fresh.port();
        try {
            java.util.function.Supplier<HttpResponse<String>> signIn =
                    () -> f.postForm(url, "/login", "token=" + READ + "&next=%2F", "Origin", url);
            String someoneElses = cookieOf(signIn.get());
            for (int i = 1; i < Sessions.MAX_OPEN; i++) {
                assertThat(tokens.readSessions().open()).as("sign-in %d", i).isPresent();
            }

            HttpResponse<String> more = signIn.get();

            assertThat(f.getAt(url, "/compare", "Cookie", someoneElses).statusCode()).isEqualTo(200);
            assertThat(more.statusCode()).isEqualTo(503);
            assertThat(more.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(more.body()).contains("sign-in refused: this server already holds the most dashboard sessions "
                    + "it keeps (10,000)").contains("after 12 hours unused");
            f.postForm(url, "/logout", "", "Origin", url, "Cookie", someoneElses);
            assertThat(signIn.get().statusCode()).as("a session ended, so one may start").isEqualTo(303);
        } finally {
            fresh.stop();
        }
    }

    @Test
    void aWrongTokenIsRefusedWithoutACookie() {
        HttpResponse<String> login = login("token=guess&next=%2F");

        assertThat(login.statusCode()).isEqualTo(401);
        assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(login.body()).contains("token: this token is not valid").doesNotContain("guess");
        assertThat(f.getAt(base, "/", "Cookie", Tokens.COOKIE + "=guess").statusCode()).isEqualTo(303);
    }

    @Test
    void theReadTokenAlsoWorksAsABearerHeader() {
        assertThat(f.getAt(base, "/regressions", "Authorization", "Bearer " + READ).statusCode()).isEqualTo(200);
    }

    @Test
    void loginNeverRedirectsOffTheServer() {
        HttpResponse<String> login = login("token=" + READ + "&next=%2F%2Fevil.example%2F");

        assertThat(login.headers().firstValue("Location")).hasValue("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%2F%09%2Fevil.example", "%2F%0D%0A%2Fevil.example", "%2F%5Cevil.example",
            "%2Fok%5C..%5C%5Cevil.example", "%2F%20%2Fevil.example", "https%3A%2F%2Fevil.example"})
    void loginIgnoresANextThatABrowserCouldReadAsAnotherHost(String encodedNext) {
        HttpResponse<String> login = login("token=" + READ + "&next=" + encodedNext);

        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/");
    }

    @Test
    void logoutClearsTheCookie() {
        HttpResponse<String> out = f.postForm(base, "/logout", "", "Origin", base);

        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(Tokens.COOKIE + "=;")
                .contains("Expires=Thu, 01 Jan 1970");
    }

    @Test
    void anEmptyDatabaseShowsHowToPushTheFirstResults(@TempDir Path dir) {
        try (Benchmon empty = Benchmon.embedded(dir)) {
            Javalin blank = DashboardFixture.start(empty, Tokens.none());
            try {
                String html = f.getAt("http://127.0.0.1:" + blank.port(), "/trends").body();
                assertThat(html).contains("No benchmark results yet")
                        .contains("benchmon push results.json --server http://127.0.0.1:" + blank.port())
                        // The README's command, which runs from a checkout (there is no benchmon.jar in its root),
                        // and no token on a server that asks for none.
                        .contains("./benchmon serve --demo").doesNotContain("java -jar", "--token");
                assertThat(f.getAt("http://127.0.0.1:" + blank.port(), "/snapshot.csv").body())
                        .startsWith("Model,Dataset,Prompt,Environment,Last run (UTC)");
            } finally {
                blank.stop();
            }
        }
    }

    @Test
    void anEmptyDatabaseOnAServerThatRequiresAWriteTokenSuggestsPushingWithIt(@TempDir Path dir) {
        try (Benchmon empty = Benchmon.embedded(dir)) {
            Javalin blank = DashboardFixture.start(empty, Tokens.of("write-secret-456", null));
            try {
                String html = Html.unescape(f.getAt("http://127.0.0.1:" + blank.port(), "/").body());
                assertThat(html).contains("benchmon push results.json --server http://127.0.0.1:" + blank.port()
                        + " --token \"$BENCHMON_WRITE_TOKEN\"");
            } finally {
                blank.stop();
            }
        }
    }

    @Test
    void anEmptyDatabaseOnAReadOnlyServerSaysHowResultsReachItNotHowToPushToIt(@TempDir Path dir) {
        try (Benchmon empty = Benchmon.embedded(dir)) {
            Javalin blank = DashboardFixture.start(empty, Tokens.of(null, READ));
            try {
                String html = Html.unescape(f.getAt("http://127.0.0.1:" + blank.port(), "/", "Authorization", "Bearer " + READ).body());
                assertThat(html).contains("No benchmark results yet").contains("This server is read-only")
                        .contains("benchmon import results.json").doesNotContain("benchmon push results.json --server");
            } finally {
                blank.stop();
            }
        }
    }
}
