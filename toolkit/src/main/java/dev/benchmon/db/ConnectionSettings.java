package dev.benchmon.db;

import dev.benchmon.ConfigurationException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where to connect: a JDBC URL and credentials. Accepts {@code jdbc:postgresql://...} and the
 * {@code postgres://user:pass@host:port/db} form that hosted PostgreSQL (Supabase, RDS, Heroku) hands out.
 * {@link #toString()} never shows the password.
 *
 * @param jdbcUrl  a {@code jdbc:postgresql:} URL without credentials
 * @param user     the user, or {@code null} to use the URL's
 * @param password the password, or {@code null}
 */
public record ConnectionSettings(String jdbcUrl, String user, String password) {
    public ConnectionSettings {
        requireReadable("the database URL", jdbcUrl);
    }

    static {
        DriverLogging.maskUrls(); // before the driver first sees a URL: its warnings print them whole
    }

    /**
     * Settings from a JDBC or {@code postgres://} URL; credentials in the URL are used when none are given.
     *
     * @throws ConfigurationException when the URL carries a user or password and {@code user} / {@code password}
     *                                names another (see {@link #refuseTwoLogins})
     */
    public static ConnectionSettings of(String url, String user, String password) {
        return of("the database URL", url, "the user given", user, "the password given", password);
    }

    /**
     * {@link #of(String, String, String)} naming {@code setting} (an environment variable) in what it refuses, and
     * {@code userSetting} / {@code passwordSetting} as where {@code user} / {@code password} came from. A
     * {@code postgres://} URL whose host or port cannot be read is refused: falling back to localhost and no user, as
     * an unencoded {@code @} or {@code /} in the password made it, connects to another database as the OS user.
     */
    static ConnectionSettings of(String setting, String url, String userSetting, String user,
                                 String passwordSetting, String password) {
        String u = user;
        String p = password;
        String infoUser = null;
        String infoPassword = null;
        if (url != null && (url.startsWith("postgres://") || url.startsWith("postgresql://"))) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw unreadable(setting, url, "it is not a valid URL");
            }
            if (uri.getRawAuthority() != null && uri.getHost() == null) {
                throw unreadable(setting, url, "its host or port cannot be read");
            }
            // An unencoded '@' in a password that also holds '#' or '/' ends the authority early: the host read is a
            // piece of the password (u:Sup3r@Secret#x@db/bm read as host "Secret"), which a message would then show and
            // a connection would try. A URL's fragment means nothing to PostgreSQL, and no database name holds '@'
            // (a query may: ?user=alice@corp).
            if (uri.getRawFragment() != null || uri.getRawPath() != null && uri.getRawPath().contains("@")) {
                throw unreadable(setting, url, "its host or port cannot be read (an '@' after a '#' or '/' of the "
                        + "password)");
            }
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                infoUser = decode(parts[0]);
                infoPassword = parts.length > 1 ? decode(parts[1]) : null;
            }
            String host = uri.getHost() == null ? "localhost" : uri.getHost(); // postgres:///db, as libpq reads it
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            url = "jdbc:postgresql://" + host + port + uri.getRawPath() + query;
        }
        requireDatabaseName(setting, url);
        requireReadable(setting, url);
        // The driver lets user= and password= in the URL win over the login it is handed; userinfo of a postgres://
        // URL is dropped above and handed over only when no login is given. Either way one of two logins would be
        // used silently, so two that differ are refused.
        java.util.Properties inUrl = org.postgresql.Driver.parseURL(url, null);
        String urlUser = inUrl.getProperty("user", infoUser);
        String urlPassword = inUrl.getProperty("password", infoPassword);
        refuseTwoLogins(setting, "user", urlUser, userSetting, u);
        refuseTwoLogins(setting, "password", urlPassword, passwordSetting, p);
        if (u == null) u = infoUser;
        if (p == null) p = infoPassword;
        return new ConnectionSettings(url, u, p);
    }

    /**
     * A property of the JDBC URL as the PostgreSQL driver reads it ({@code PGDBNAME}, {@code PGHOST}, {@code PGPORT},
     * {@code user}, {@code password}, or a parameter), or {@code null} when the URL does not set it.
     */
    public String urlProperty(String name) {
        java.util.Properties parsed = org.postgresql.Driver.parseURL(jdbcUrl, null);
        return parsed == null ? null : parsed.getProperty(name);
    }

    /**
     * Refuses a URL that carries a user (or password) when {@code givenSetting} gives another: the driver would use
     * the URL's and ignore the other without a word, and the login that connects would not be the one configured.
     * The same value in both places is fine. A password is never shown.
     */
    private static void refuseTwoLogins(String setting, String what, String inUrl, String givenSetting, String given) {
        if (inUrl == null || given == null || given.isEmpty() || inUrl.equals(given)) {
            return;
        }
        String both = "user".equals(what)
                ? setting + " names the user '" + inUrl + "' and " + givenSetting + " names the user '" + given + "'"
                : setting + " carries a password and " + givenSetting + " gives another";
        throw new ConfigurationException(both + ": only one of them would be used. Give the " + what + " in one place: "
                + "remove it from the URL, or unset " + givenSetting + " (or make the two the same)");
    }

    /**
     * Refuses a URL that names no database ({@code jdbc:postgresql://host:5432/}, {@code .../host:5432} or
     * {@code postgres://u@host}): the driver then connects to the database named after the login (libpq's default),
     * so a command would read, or create benchmon's schema in, a database nobody meant. Checked before the driver
     * reads the URL, which answers one without a {@code /} only with a warning and no connection.
     */
    private static void requireDatabaseName(String setting, String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            return; // requireReadable says what is wrong with it
        }
        String rest = jdbcUrl.substring("jdbc:postgresql:".length());
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        String database;
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            database = slash < 0 ? "" : path.substring(slash + 1);
        } else {
            database = path; // jdbc:postgresql:database, on localhost
        }
        boolean named = !database.isBlank() || (query >= 0 && java.util.Arrays.stream(rest.substring(query + 1).split("&"))
                .anyMatch(param -> param.matches("(?i)PGDBNAME=.*\\S.*"))); // the driver's own parameter for it
        if (!named) {
            throw new ConfigurationException(setting + " (" + maskUrl(jdbcUrl) + ") names no database: the part after "
                    + "host:port/ is empty, so PostgreSQL would connect to the database named after the user. Add the "
                    + "database name, e.g. jdbc:postgresql://host:5432/benchmon");
        }
    }

    /** Userinfo is percent-encoded, not a form: a {@code +} in a password is a plus, not a space. */
    private static String decode(String userInfoPart) {
        return URLDecoder.decode(userInfoPart.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static ConfigurationException unreadable(String setting, String url, String problem) {
        return new ConfigurationException(setting + " (" + maskUrl(url) + ") is refused: " + problem + ". "
                + "Percent-encode special characters of the user and password (@ as %40, : as %3A, / as %2F, "
                + "? as %3F, # as %23, % as %25), or leave them out of the URL and set BENCHMON_DB_USER / "
                + "BENCHMON_DB_PASSWORD");
    }

    /**
     * Refuses what the PostgreSQL driver cannot read (a port outside 1-65535, a path of more than one
     * {@code /database}, another scheme) before the pool hands it over: the driver answers such a URL with no
     * connection at all, which HikariCP reports as an unexplained "Failed to get driver instance".
     */
    private static void requireReadable(String setting, String jdbcUrl) {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new ConfigurationException(setting + " is empty; set BENCHMON_DB_URL to jdbc:postgresql://host:5432/db "
                    + "or leave it unset to use the embedded database");
        }
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException(setting + " must start with jdbc:postgresql:, postgres:// or postgresql://, "
                    + "got '" + maskUrl(jdbcUrl) + "'");
        }
        if (org.postgresql.Driver.parseURL(jdbcUrl, null) == null) {
            throw new ConfigurationException(setting + " (" + maskUrl(jdbcUrl) + ") is malformed: the PostgreSQL driver "
                    + "cannot read it; the form is jdbc:postgresql://host:port/database?param=value (a port from 1 to "
                    + "65535, one /database)");
        }
    }

    /** The environment variable that names the database: the setting messages name unless a launcher gave another. */
    public static final String URL_VARIABLE = "BENCHMON_DB_URL";

    /** Settings from {@code BENCHMON_DB_URL}, {@code BENCHMON_DB_USER} and {@code BENCHMON_DB_PASSWORD}, if the URL is set. */
    public static ConnectionSettings fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, URL_VARIABLE);
    }

    /**
     * {@link #fromEnvironment(Map)} naming {@code urlSetting} as where the URL came from in what it refuses: a launcher
     * that copied its own option (e.g. {@code --db}) into {@code BENCHMON_DB_URL} names that option.
     */
    public static ConnectionSettings fromEnvironment(Map<String, String> env, String urlSetting) {
        String url = env.get(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return null;
        }
        return of(urlSetting, url.trim(), "BENCHMON_DB_USER", given(env, "BENCHMON_DB_USER"),
                "BENCHMON_DB_PASSWORD", given(env, "BENCHMON_DB_PASSWORD"));
    }

    /**
     * The variable's value, or {@code null} when it is unset, empty or blank: an empty line of an environment file or compose
     * file ({@code BENCHMON_DB_USER=}) names no login, and was sent as one, overriding the login the URL carries (the
     * server then refused an empty user name, or asked for the password the URL gave).
     */
    private static String given(Map<String, String> env, String variable) {
        String value = env.get(variable);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * Settings of a read-only copy (a PostgreSQL streaming replica) from {@code BENCHMON_DB_READ_URL}, with the login
     * of {@code BENCHMON_DB_READ_USER} and {@code BENCHMON_DB_READ_PASSWORD}; without a read user, the login the read
     * URL carries ({@code user=} or a {@code postgres://} URL's userinfo, with its password, else
     * {@code BENCHMON_DB_READ_PASSWORD}); else the login of {@code BENCHMON_DB_USER} and {@code BENCHMON_DB_PASSWORD}
     * (a replica has the primary's roles). {@code null} when the read URL is not set.
     *
     * @throws ConfigurationException when the read URL carries a user or password and {@code BENCHMON_DB_READ_USER} /
     *                                {@code BENCHMON_DB_READ_PASSWORD} gives another
     */
    public static ConnectionSettings readFromEnvironment(Map<String, String> env) {
        String url = env.get("BENCHMON_DB_READ_URL");
        if (url == null || url.isBlank()) {
            return null;
        }
        String user = env.get("BENCHMON_DB_READ_USER");
        ConnectionSettings own = of("BENCHMON_DB_READ_URL", url.trim(), "BENCHMON_DB_READ_USER",
                user == null || user.isBlank() ? null : user.trim(), "BENCHMON_DB_READ_PASSWORD",
                given(env, "BENCHMON_DB_READ_PASSWORD"));
        if (own.user() != null || org.postgresql.Driver.parseURL(own.jdbcUrl(), null).getProperty("user") != null) {
            return own;
        }
        // No login of the read side's own: the primary's (its password is not mixed with a login the URL names).
        return of("BENCHMON_DB_READ_URL", url.trim(), "BENCHMON_DB_USER", given(env, "BENCHMON_DB_USER"),
                "BENCHMON_DB_PASSWORD", given(env, "BENCHMON_DB_PASSWORD"));
    }

    /**
     * The owner login for migrations, from {@code BENCHMON_DB_OWNER_USER} and
     * {@code BENCHMON_DB_OWNER_PASSWORD} on the same database as {@code BENCHMON_DB_URL}; {@code null}
     * when no owner user is set (then the one login both migrates and runs, see docs/SETUP.md).
     */
    public static ConnectionSettings ownerFromEnvironment(Map<String, String> env) {
        ConnectionSettings app = fromEnvironment(env);
        String owner = env.get("BENCHMON_DB_OWNER_USER");
        if (app == null || owner == null || owner.isBlank()) {
            return null;
        }
        return app.as(owner.trim(), given(env, "BENCHMON_DB_OWNER_PASSWORD"));
    }

    /** The same database with another login (a {@code user=} or {@code password=} in the URL is dropped). */
    public ConnectionSettings as(String otherUser, String otherPassword) {
        // Parameter by parameter: one pattern over the whole query consumed the '&' before password= when it
        // dropped user=, so the password stayed, and the driver let it win over otherPassword.
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return new ConnectionSettings(jdbcUrl, otherUser, otherPassword);
        }
        String kept = java.util.Arrays.stream(jdbcUrl.substring(query + 1).split("&"))
                .filter(param -> !param.isEmpty() && !param.matches("(?i)(user|password)(=.*)?"))
                .collect(java.util.stream.Collectors.joining("&"));
        String url = jdbcUrl.substring(0, query) + (kept.isEmpty() ? "" : "?" + kept);
        return new ConnectionSettings(url, otherUser, otherPassword);
    }

    /**
     * The URL (or a text holding one) with its credentials masked: everything between {@code ://} and the last
     * {@code @} (a password may hold unencoded {@code @}, {@code /} or {@code ?}, so no other character marks where
     * it ends), and every {@code password=} value up to the next {@code &}.
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        int start = url.indexOf("://");
        int at = url.lastIndexOf('@');
        String masked = start >= 0 && at > start ? url.substring(0, start + 3) + "****" + url.substring(at) : url;
        return masked.replaceAll("(?i)(password=)[^&]*", "$1****");
    }

    @Override
    public String toString() {
        return maskUrl(jdbcUrl) + (user == null ? "" : " user=" + user) + (password == null ? "" : " password=****");
    }
}
