package dev.benchmon.server.web;

import dev.benchmon.Benchmon;
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

    @Test
    void theRightTokenSetsAnHttpOnlyStrictCookieThatOpensThePages() {
        HttpResponse<String> login = f.postForm(base, "/login", "token=" + READ + "&next=%2Fcompare");

        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/compare");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(Tokens.COOKIE + "=" + READ).contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/");
        HttpResponse<String> page = f.getAt(base, "/compare", "Cookie", Tokens.COOKIE + "=" + READ);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Log out");
    }

    @Test
    void aWrongTokenIsRefusedWithoutACookie() {
        HttpResponse<String> login = f.postForm(base, "/login", "token=guess&next=%2F");

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
        HttpResponse<String> login = f.postForm(base, "/login", "token=" + READ + "&next=%2F%2Fevil.example%2F");

        assertThat(login.headers().firstValue("Location")).hasValue("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%2F%09%2Fevil.example", "%2F%0D%0A%2Fevil.example", "%2F%5Cevil.example",
            "%2Fok%5C..%5C%5Cevil.example", "%2F%20%2Fevil.example", "https%3A%2F%2Fevil.example"})
    void loginIgnoresANextThatABrowserCouldReadAsAnotherHost(String encodedNext) {
        HttpResponse<String> login = f.postForm(base, "/login", "token=" + READ + "&next=" + encodedNext);

        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/");
    }

    @Test
    void logoutClearsTheCookie() {
        HttpResponse<String> out = f.postForm(base, "/logout", "");

        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(Tokens.COOKIE + "=;")
                .contains("Expires=Thu, 01 Jan 1970");
    }

    @Test
    void anEmptyDatabaseShowsHowToPushTheFirstResults(@TempDir Path dir) {
        try (Benchmon empty = Benchmon.embedded(dir.resolve("pgdata"))) {
            Javalin blank = DashboardFixture.start(empty, Tokens.none());
            try {
                String html = f.getAt("http://127.0.0.1:" + blank.port(), "/trends").body();
                assertThat(html).contains("No benchmark results yet")
                        .contains("benchmon push results.json --server http://127.0.0.1:" + blank.port())
                        .contains("serve --demo");
                assertThat(f.getAt("http://127.0.0.1:" + blank.port(), "/snapshot.csv").body())
                        .startsWith("Model,Dataset,Prompt,Environment,Last run (UTC)");
            } finally {
                blank.stop();
            }
        }
    }
}
