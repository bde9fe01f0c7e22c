package dev.benchmon.server.cli;

import dev.benchmon.server.support.ChildJvm;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Database URLs a new user got wrong, given to a command as {@code BENCHMON_DB_URL} or {@code --db}: none connects
 * anywhere it was not told to, and no password reaches the command's output, stderr or the log (the driver's
 * java.util.logging warnings included).
 */
class DatabaseUrlTest {
    @TempDir
    Path home;

    @Test
    void a_postgres_url_whose_host_or_port_cannot_be_read_is_refused_not_sent_to_localhost() {
        for (String url : new String[]{"postgres://trial_app:p@SECRETx5@127.0.0.1:5499/trial_bm",
                "postgresql://u:SECRETx6@127.0.0.1:notaport/db",
                "postgres://trial_app:pa/SECRETx1@db.example.invalid:5432/trial_bm",
                // an '@' and then a '#' or '/': the authority ends early, at a host that is a piece of the password
                "postgres://trial_app:Sup3r@SECRETx7#x@127.0.0.1:5432/trial_bm",
                "postgres://trial_app:a@SECRETx8/c@127.0.0.1:5432/trial_bm"}) {
            Output o = capture(() -> run(env("BENCHMON_DB_URL", url), "", "export"));
            assertThat(o.run.exitCode()).as(url).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(o.run.err()).as(url).contains("BENCHMON_DB_URL (postgres").contains("Percent-encode")
                    .contains("cannot be read");
            assertThat(o.all()).as(url).doesNotContain("SECRET");
        }
        Output db = capture(() -> run(env(), "", "export", "--db", "postgres://trial_app:p@SECRETx5@127.0.0.1:5499/trial_bm"));
        assertThat(db.run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(db.run.err()).startsWith("error: --db (postgres://****@127.0.0.1:5499/trial_bm) is refused");
    }

    @Test
    void urls_the_driver_cannot_read_are_refused_as_malformed_without_showing_the_password() {
        String[][] cases = {
                {"jdbc:postgresql://127.0.0.1:5432/trial_bm/x?user=a&password=LEAKME123", "is malformed"},
                {"jdbc:postgresql://127.0.0.1:99999/trial_bm?user=a&password=LEAKME99", "is malformed"},
                {"postgres://trial_app:LEAKME98@127.0.0.1:99999/trial_bm", "is malformed"},
                {"mysql://trial_app:pa/SECRETx3@127.0.0.1/x", "must start with jdbc:postgresql:"},
                {"postgres://trial_app:pa@SECRETx2%zz@127.0.0.1/x", "is not a valid URL"}};
        for (String[] c : cases) {
            Output o = capture(() -> run(env("BENCHMON_DB_URL", c[0]), "", "export"));
            assertThat(o.run.exitCode()).as(c[0]).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(o.run.err()).as(c[0]).contains("BENCHMON_DB_URL").contains(c[1]).doesNotContain("unexpected failure");
            assertThat(o.all()).as(c[0]).doesNotContain("LEAKME").doesNotContain("SECRET");
        }
    }

    @Test
    void a_db_url_naming_a_user_other_than_benchmon_db_user_is_refused_naming_both_and_connects_nowhere() {
        // port 1 on loopback: were it tried, the command would fail as unreachable (exit 3), not as refused input
        Output o = capture(() -> run(env("BENCHMON_DB_USER", "bob", "BENCHMON_DB_PASSWORD", "SECRETenv"), "", "export",
                "--db", "jdbc:postgresql://127.0.0.1:1/x?user=alice&password=SECRETurl"));
        assertThat(o.run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(o.run.err()).startsWith("error: --db names the user 'alice' and BENCHMON_DB_USER names the user 'bob'")
                .contains("remove it from the URL, or unset BENCHMON_DB_USER");
        assertThat(o.all()).doesNotContain("SECRET");
    }

    @Test
    void a_password_parameter_is_masked_whole_when_the_connection_fails() {
        // port 1 on loopback: nothing listens, the connection is refused at once
        Output o = capture(() -> run(env("BENCHMON_DB_URL", "jdbc:postgresql://127.0.0.1:1/x?user=a&password=SECRET;x4"),
                "", "export"));
        assertThat(o.run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(o.run.err()).contains("password=****");
        assertThat(o.all()).doesNotContain("SECRET").doesNotContain(";x4");
    }

    @Test
    void a_db_url_naming_a_database_that_does_not_exist_is_a_configuration_error_saying_to_create_it_or_fix_the_url() {
        String url = TestServer.databaseUrl("bm_no_such_db_" + ProcessHandle.current().pid());
        PushCommandTest.Run r = run(env("BENCHMON_DB_USER", "postgres", "BENCHMON_DB_PASSWORD", TestServer.embeddedPassword()),
                "", "export", "history", "--db", url);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("database \"bm_no_such_db_", "does not exist", "create that database",
                "fix the database name in --db").doesNotContain("BENCHMON_DB_URL", "accepts connections");
    }

    @Test
    void a_database_that_does_not_exist_is_reported_at_once_not_after_the_pools_retries_for_a_starting_server() {
        String url = TestServer.databaseUrl("bm_no_such_db_" + ProcessHandle.current().pid());
        long start = System.nanoTime();
        PushCommandTest.Run r = run(env("BENCHMON_DB_USER", "postgres", "BENCHMON_DB_PASSWORD", TestServer.embeddedPassword()),
                "", "export", "history", "--db", url);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(tookMillis).as("the pool retries a first connection for 10 s").isLessThan(7_000);
    }

    @Test
    void benchmon_db_url_naming_a_database_that_does_not_exist_says_to_fix_that_variable() {
        String url = TestServer.databaseUrl("bm_no_such_db_" + ProcessHandle.current().pid());
        PushCommandTest.Run r = run(env("BENCHMON_DB_URL", url, "BENCHMON_DB_USER", "postgres",
                "BENCHMON_DB_PASSWORD", TestServer.embeddedPassword()), "", "export", "history");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("does not exist", "create that database", "fix the database name in BENCHMON_DB_URL");
    }

    @Test
    void a_wrong_password_is_a_configuration_error_naming_the_login_settings_not_an_unreachable_server() {
        Output o = capture(() -> run(env("BENCHMON_DB_USER", "postgres", "BENCHMON_DB_PASSWORD", "SECRETwrong"), "",
                "export", "history", "--db", TestServer.databaseUrl("postgres")));
        assertThat(o.run.exitCode()).as(o.run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(o.run.err()).contains("password authentication failed for user \"postgres\"",
                "fix the login: the user and password in --db or BENCHMON_DB_USER / BENCHMON_DB_PASSWORD");
        assertThat(o.all()).doesNotContain("SECRET");
    }

    @Test
    void a_push_without_a_password_to_a_server_that_asks_for_one_is_a_login_error_at_once_not_a_server_that_does_not_answer() {
        String url = TestServer.databaseUrl("postgres");
        long start = System.nanoTime();
        PushCommandTest.Run r = run(env("BENCHMON_DB_USER", "postgres"), "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"f1\":0.5}}", "push", "-", "--db", url);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("no password was provided", "the server asks for a password and none was given: "
                + "give it in --db (password=...) or BENCHMON_DB_PASSWORD").doesNotContain("nothing answers", "retrying");
        assertThat(tookMillis).as("the pool retries a server that does not answer for 10 s").isLessThan(7_000);
    }

    @Test
    void a_push_into_a_database_without_the_schema_by_a_login_that_may_not_create_it_names_the_database_as_possibly_wrong()
            throws Exception {
        String url = TestServer.freshDatabaseUrl();
        String database = url.substring(url.lastIndexOf('/') + 1);
        String role = "bm_app_only_" + ProcessHandle.current().pid();
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", TestServer.embeddedPassword());
             var st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'app'");
        }
        PushCommandTest.Run r = run(env("BENCHMON_DB_USER", role, "BENCHMON_DB_PASSWORD", "app"),
                "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}", "push", "-", "--db", url);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("the database '" + database + "' at ", "holds no benchmon schema, and this login ("
                + role + ") may not create it: if benchmon's database has another name, fix the database name in --db",
                "start once with the owner login");
        assertThat(relationsIn(url)).isZero();
    }

    @Test
    void an_sslmode_the_server_cannot_serve_is_invalid_input_naming_sslmode_not_a_server_that_is_not_there() {
        // The embedded PostgreSQL has no SSL: the server answers "no", on every retry. It read as unreachable (exit 3,
        // after 10 s of retries) with "nothing answers at 127.0.0.1:PORT: start PostgreSQL there".
        for (String sslmode : new String[]{"require", "bogus"}) {
            String url = TestServer.databaseUrl("postgres") + "?sslmode=" + sslmode;
            long start = System.nanoTime();
            PushCommandTest.Run r = run(env("BENCHMON_DB_USER", "postgres", "BENCHMON_DB_PASSWORD",
                    TestServer.embeddedPassword()), "", "export", "history", "--db", url);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).as(sslmode).contains("fix sslmode in --db").doesNotContain("nothing answers", "retrying");
            assertThat(tookMillis).as("the pool retries a server that does not answer for 10 s").isLessThan(7_000);
        }
    }

    @Test
    void an_empty_db_option_is_refused_and_nothing_is_pushed_to_the_embedded_database() throws java.io.IOException {
        // --db "$DATABASE_URL" with the variable unset in CI
        Path results = java.nio.file.Files.writeString(home.resolve("r.json"),
                "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.9}}");
        PushCommandTest.Run r = run(env(), "", "push", results.toString(), "--db", "");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: --db is empty: give the database URL")
                .contains("leave --db out to use $BENCHMON_DB_URL or the embedded database");
        assertThat(r.out()).doesNotContain("pushed");
        assertThat(home.resolve("pgdata")).as("the embedded database was not started").doesNotExist();
    }

    @Test
    void a_blank_db_option_is_refused_as_empty_on_a_read_too() {
        PushCommandTest.Run r = run(env(), "", "export", "history", "--db", "   ");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: --db is empty");
        assertThat(home.resolve("pgdata")).doesNotExist();
    }

    @Test
    void a_read_given_a_home_without_a_database_is_refused_naming_the_folder_and_creates_nothing() {
        Path typo = home.resolve("x").resolve("typo-home");
        PushCommandTest.Run r = run(env(), "", "export", "snapshots", "--home", typo.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: --home " + typo + " holds no benchmon database")
                .contains("check the path", "benchmon import FILE --home DIR", "benchmon serve --home DIR")
                .doesNotContain("first start");
        assertThat(r.out()).isEmpty();
        assertThat(home.resolve("x")).as("no folder left behind").doesNotExist();
    }

    @Test
    void alerts_list_and_compare_given_a_home_without_a_database_are_refused_too() {
        Path typo = home.resolve("typo-home2");
        PushCommandTest.Run alerts = run(env(), "", "alerts", "list", "--home", typo.toString());
        assertThat(alerts.exitCode()).as(alerts.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(alerts.err()).contains("--home " + typo + " holds no benchmon database");
        assertThat(alerts.out()).doesNotContain("(no alerts)");
        PushCommandTest.Run compare = run(env(), "", "compare", "a", "b", "--home", typo.toString());
        assertThat(compare.exitCode()).as(compare.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(compare.err()).contains("holds no benchmon database");
        assertThat(typo).doesNotExist();
    }

    @Test
    void an_alert_triage_given_a_home_without_a_database_is_refused_and_creates_nothing() {
        // ack, mute, ... act on an alert that exists: a mistyped home must not get a new database first.
        Path typo = home.resolve("typo-home3");
        PushCommandTest.Run ack = run(env(), "", "alerts", "ack", "7", "-m", "looking", "--home", typo.toString());
        assertThat(ack.exitCode()).as(ack.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(ack.err()).contains("--home " + typo + " holds no benchmon database", "--server URL");
        assertThat(typo).doesNotExist();
    }

    @Test
    void a_read_of_a_benchmon_home_variable_without_a_database_is_refused_naming_the_variable() {
        Path typo = home.resolve("typo-env-home");
        PushCommandTest.Run r = run(Map.of("BENCHMON_HOME", typo.toString()), "", "export", "history");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: BENCHMON_HOME (" + typo + ") holds no benchmon database");
        assertThat(typo).doesNotExist();
    }

    @Test
    void an_import_creates_the_embedded_database_in_a_new_home_and_a_read_then_finds_it() throws java.io.IOException {
        Path fresh = home.resolve("fresh-home");
        Path results = java.nio.file.Files.writeString(home.resolve("one.json"),
                "{\"model_version\":\"m-home\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.9}}");
        PushCommandTest.Run imported = run(env(), "", "import", results.toString(), "--home", fresh.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        PushCommandTest.Run read = run(env(), "", "export", "snapshots", "--home", fresh.toString());
        assertThat(read.exitCode()).as(read.err()).isZero();
        assertThat(read.out()).contains("m-home");
    }

    @Test
    void export_on_a_database_without_the_benchmon_schema_is_refused_and_creates_nothing_there() throws Exception {
        String url = TestServer.freshDatabaseUrl();
        PushCommandTest.Run r = run(login(), "", "export", "history", "--db", url);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: --db (" + url).contains(") is not a benchmon database (no benchmon schema): "
                + "point --db at the database benchmon writes to, or run benchmon push/import/serve to create it");
        assertThat(r.err()).doesNotContain("creating the benchmon schema", "migration");
        assertThat(relationsIn(url)).as("tables, views and sequences outside the catalogs").isZero();
    }

    @Test
    void every_read_only_command_refuses_a_database_without_the_schema_naming_where_its_url_came_from() throws Exception {
        String url = TestServer.freshDatabaseUrl();
        for (String[] command : new String[][]{{"alerts", "list", "--db", url}, {"metrics", "list", "--db", url},
                {"backtest", "--db", url}, {"compare", "a", "b", "--db", url}}) {
            PushCommandTest.Run r = run(login(), "", command);
            assertThat(r.exitCode()).as(String.join(" ", command) + ": " + r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).as(command[0]).contains("is not a benchmon database (no benchmon schema)");
        }
        Map<String, String> viaVariable = login();
        viaVariable.put("BENCHMON_DB_URL", url);
        PushCommandTest.Run r = run(viaVariable, "", "export", "history");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: BENCHMON_DB_URL (").contains("point BENCHMON_DB_URL at the database");
        assertThat(relationsIn(url)).isZero();
    }

    @Test
    void a_postgres_url_without_a_database_name_is_refused_naming_the_missing_part() {
        String withName = TestServer.databaseUrl("postgres"); // jdbc:postgresql://127.0.0.1:PORT/postgres
        String hostPort = withName.substring("jdbc:postgresql://".length(), withName.lastIndexOf('/'));
        for (String url : new String[]{"jdbc:postgresql://" + hostPort + "/", "jdbc:postgresql://" + hostPort,
                "postgres://postgres@" + hostPort, "postgresql://postgres@" + hostPort + "/?sslmode=disable"}) {
            PushCommandTest.Run r = run(login(), "", "alerts", "list", "--db", url);
            assertThat(r.exitCode()).as(url + ": " + r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).as(url).startsWith("error: --db (jdbc:postgresql://" + hostPort)
                    .contains("names no database: the part after host:port/ is empty")
                    .contains("e.g. jdbc:postgresql://host:5432/benchmon");
        }
    }

    @Test
    void a_db_url_where_nothing_listens_says_nothing_answers_there_and_names_db_not_the_variable_or_the_login() {
        // port 1 on loopback: nothing listens, the connection is refused (after the pool's 10 s of retries)
        PushCommandTest.Run r = run(env(), "", "export", "history", "--db", "jdbc:postgresql://127.0.0.1:1/x");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).startsWith("error: cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/x")
                .contains("nothing answers at 127.0.0.1:1: start PostgreSQL there or fix the host/port in --db")
                .doesNotContain("BENCHMON_DB_URL", "user and password");
    }

    @Test
    void a_db_host_that_dns_does_not_know_is_named_as_such_not_as_a_server_that_does_not_answer() {
        PushCommandTest.Run r = run(env(), "", "export", "history", "--db", "jdbc:postgresql://db.example.invalid:5432/x");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("the host of db.example.invalid:5432 is not known here (DNS): fix the host in --db")
                .doesNotContain("nothing answers", "user and password");
    }

    @Test
    void while_the_pool_retries_an_unreachable_server_one_progress_line_says_where_and_for_how_long() {
        Output o = capture(() -> run(env("BENCHMON_DB_URL", "jdbc:postgresql://127.0.0.1:1/trial_bm?user=a&password=SECRETp"),
                "", "export", "history"));
        assertThat(o.run.exitCode()).as(o.run.err()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(o.streams).containsOnlyOnce("connecting to postgresql://127.0.0.1:1/trial_bm ... (retrying for up to 10 s)")
                .as("HikariCP's own lines about each failed attempt").doesNotContain("HikariPool", "ERROR");
        assertThat(o.run.err()).contains("fix the host/port in BENCHMON_DB_URL");
        assertThat(o.all()).doesNotContain("SECRET");
    }

    @Test
    void the_benchmon_command_prints_its_own_error_for_a_url_the_driver_warns_about_without_the_drivers_log_lines()
            throws Exception {
        // a child JVM through Main.main, as a user runs it: the driver's logging is set up there
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "export", "history", "--db", "jdbc:postgresql://127.0.0.1:notaport/x");
        pb.environment().keySet().removeIf(k -> k.startsWith("BENCHMON_"));
        pb.environment().put("BENCHMON_HOME", home.toString());
        Process process = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(err).startsWith("error: --db (jdbc:postgresql://127.0.0.1:notaport/x) is malformed")
                .doesNotContain("org.postgresql", "WARNING");
    }

    /** The embedded test server's superuser login, as BENCHMON_DB_USER / BENCHMON_DB_PASSWORD. */
    private Map<String, String> login() {
        return env("BENCHMON_DB_USER", "postgres", "BENCHMON_DB_PASSWORD", TestServer.embeddedPassword());
    }

    /** How many tables, views and sequences the database at {@code url} holds outside PostgreSQL's own schemas. */
    private static int relationsIn(String url) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", TestServer.embeddedPassword());
             var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                     + "ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
                     + "AND c.relkind IN ('r', 'v', 'S', 'p', 'm')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Map<String, String> env(String... keyValues) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("BENCHMON_HOME", home.toString()));
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    /** What a command printed, what went to System.out and System.err meanwhile, and every java.util.logging record. */
    private record Output(PushCommandTest.Run run, String streams, String logged) {
        String all() {
            return run.out() + run.err() + streams + logged;
        }
    }

    private static Output capture(Supplier<PushCommandTest.Run> command) {
        StringBuilder logged = new StringBuilder();
        Handler handler = new Handler() {
            private final SimpleFormatter format = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                logged.append(format.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        ByteArrayOutputStream streams = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        root.addHandler(handler);
        System.setOut(new PrintStream(streams, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(streams, true, StandardCharsets.UTF_8));
        try {
            PushCommandTest.Run run = command.get();
            return new Output(run, streams.toString(StandardCharsets.UTF_8), logged.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
            root.removeHandler(handler);
        }
    }
}
