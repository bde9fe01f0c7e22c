package dev.benchmon.server.support;

import dev.benchmon.Benchmon;
import dev.benchmon.db.EmbeddedPostgresServer;
import dev.benchmon.server.BenchmonServer;
import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.Tokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real benchmon server on an ephemeral loopback port, on a fresh database of one embedded
 * PostgreSQL shared by the test JVM (stopped and deleted when the JVM exits), with an HTTP client.
 * The database is a copy of one migrated once per JVM (see {@link #freshMigratedDatabaseUrl()}).
 */
public final class TestServer implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgresServer postgres;
    /** The database {@link #freshMigratedDatabaseUrl()} copies, migrated on first use; nobody stays connected to it. */
    private static String template;

    private final BenchmonServer server;
    private final Benchmon benchmon;
    private final String databaseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(ServerSettings settings) {
        this(freshMigratedDatabaseUrl(), EmbeddedPostgresServer.USER, postgres().password(), settings);
    }

    private TestServer(String databaseUrl, String user, String password, ServerSettings settings) {
        this.databaseUrl = databaseUrl;
        this.benchmon = Benchmon.connect(databaseUrl, user, password);
        this.server = BenchmonServer.create(benchmon, settings.withHost("127.0.0.1").withPort(0)).start();
    }

    /**
     * An open server whose database user may read but not write (a real PostgreSQL role with SELECT
     * only): every write fails with "permission denied", a failure no retry can fix.
     */
    public static TestServer readOnly() {
        String url = freshMigratedDatabaseUrl(); // the schema, created by the owner
        String role = "bm_reader_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        String rolePassword = "read-only-" + COUNTER.get();
        try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, postgres().password());
             Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + rolePassword + "'");
            st.execute("GRANT USAGE ON SCHEMA public TO " + role);
            st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create read-only role " + role, e);
        }
        return new TestServer(url, role, rolePassword, ServerSettings.defaults());
    }

    /**
     * An open server on a new, empty database of the PostgreSQL server at {@code adminUrl} (for tests
     * that also run on an external database, e.g. {@code BENCHMON_TEST_DB_URL}); the database is
     * dropped when the JVM exits.
     */
    public static TestServer onExternal(String adminUrl, String user, String password) {
        String name = "bm_server_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " via " + adminUrl, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException ignored) {
                // best effort: a leftover test database is harmless
            }
        }, "drop-" + name));
        int q = adminUrl.indexOf('?');
        String base = q < 0 ? adminUrl : adminUrl.substring(0, q);
        String url = base.substring(0, base.indexOf('/', "jdbc:postgresql://".length())) + "/" + name
                + (q < 0 ? "" : adminUrl.substring(q));
        return new TestServer(url, user, password, ServerSettings.defaults());
    }

    /** An open server (no tokens). */
    public static TestServer start() {
        return start(ServerSettings.defaults());
    }

    /** A server with these settings (host and port are forced to loopback and ephemeral). */
    public static TestServer start(ServerSettings settings) {
        return new TestServer(settings);
    }

    /** A server requiring these tokens. */
    public static TestServer withTokens(String write, String read) {
        return start(ServerSettings.defaults().withTokens(Tokens.of(write, read)));
    }

    public BenchmonServer server() {
        return server;
    }

    public Benchmon benchmon() {
        return benchmon;
    }

    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** The JDBC URL of this server's database (for the CLI's --db). */
    public String databaseUrl() {
        return databaseUrl + (databaseUrl.contains("?") ? "&" : "?") + "user=" + EmbeddedPostgresServer.USER
                + "&password=" + postgres().password();
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    /** {@code method path} with an empty body (PUT, DELETE, PATCH, ...). */
    public HttpResponse<String> request(String method, String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()), headers);
    }

    public HttpResponse<String> postJson(String path, String body, String... headers) {
        return post(path, body, "application/json", headers);
    }

    /** POSTs each body from its own client thread (at most 16 at a time); the answers in the order of the bodies. */
    public List<HttpResponse<String>> postJsonConcurrently(String path, List<String> bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(16, bodies.size()));
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (String b : bodies) {
                futures.add(pool.submit(() -> postJson(path, b)));
            }
            List<HttpResponse<String>> out = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    public HttpResponse<String> post(String path, String body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b, headers);
    }

    private URI uri(String path) {
        return URI.create(url()).resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("request to " + url() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /** The shared embedded PostgreSQL's superuser password. */
    public static String embeddedPassword() {
        return postgres().password();
    }

    /** A new, empty database, as a JDBC URL that carries the user and password (for a child process's --db). */
    public static String freshDatabaseUrlWithCredentials() {
        return freshDatabaseUrl() + "?user=" + EmbeddedPostgresServer.USER + "&password=" + embeddedPassword();
    }

    /** The JDBC URL of {@code database} on the shared embedded PostgreSQL, which need not exist (no user or password in it). */
    public static String databaseUrl(String database) {
        return postgres().jdbcUrl(database);
    }

    /** A new, empty database on the shared embedded PostgreSQL. */
    public static synchronized String freshDatabaseUrl() {
        return postgres().jdbcUrl(createDatabase(""));
    }

    /**
     * A new database holding the current schema and no data: a copy ({@code CREATE DATABASE ... TEMPLATE}, about 0.3 s)
     * of a template this JVM migrated once, instead of the ~38 migrations again (about 0.9 s) for every server. Opening
     * it skips Flyway as reopening any current database does.
     */
    public static synchronized String freshMigratedDatabaseUrl() {
        if (template == null) {
            String name = createDatabase("");
            // closing ends the pool's sessions: CREATE DATABASE ... TEMPLATE refuses a template anyone is connected to
            Benchmon.connect(postgres().jdbcUrl(name), EmbeddedPostgresServer.USER, postgres().password()).close();
            template = name;
        }
        return postgres().jdbcUrl(createDatabase(" TEMPLATE " + template));
    }

    /** Creates a database named for this JVM ({@code clause} follows its name); returns the name. */
    private static String createDatabase(String clause) {
        EmbeddedPostgresServer pg = postgres();
        String name = "bm_server_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), EmbeddedPostgresServer.USER, pg.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + clause);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + clause, e);
        }
        return name;
    }

    private static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            try {
                Path dir = Files.createTempDirectory("benchmon-server-test-pg");
                postgres = EmbeddedPostgresServer.startOrAttach(dir.resolve("pgdata"));
                EmbeddedPostgresServer started = postgres;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    deleteQuietly(dir);
                }, "benchmon-test-pg-stop"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return postgres;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temp folder
        }
    }
}
