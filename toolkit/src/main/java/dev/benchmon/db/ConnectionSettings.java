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
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new ConfigurationException("database URL is empty; set BENCHMON_DB_URL to jdbc:postgresql://host:5432/db "
                    + "or leave it unset to use the embedded database");
        }
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("database URL must start with jdbc:postgresql: or postgres://, got '"
                    + maskUrl(jdbcUrl) + "'");
        }
    }

    /** Settings from a JDBC or {@code postgres://} URL; credentials in the URL win over none given. */
    public static ConnectionSettings of(String url, String user, String password) {
        if (url != null && (url.startsWith("postgres://") || url.startsWith("postgresql://"))) {
            try {
                URI uri = new URI(url);
                String u = user;
                String p = password;
                if (uri.getRawUserInfo() != null) {
                    String[] parts = uri.getRawUserInfo().split(":", 2);
                    if (u == null) u = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                    if (p == null && parts.length > 1) p = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
                }
                String host = uri.getHost() == null ? "localhost" : uri.getHost();
                String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
                String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
                return new ConnectionSettings("jdbc:postgresql://" + host + port + uri.getRawPath() + query, u, p);
            } catch (URISyntaxException e) {
                throw new ConfigurationException("database URL is malformed: " + maskUrl(url), e);
            }
        }
        return new ConnectionSettings(url, user, password);
    }

    /** Settings from {@code BENCHMON_DB_URL}, {@code BENCHMON_DB_USER} and {@code BENCHMON_DB_PASSWORD}, if the URL is set. */
    public static ConnectionSettings fromEnvironment(Map<String, String> env) {
        String url = env.get("BENCHMON_DB_URL");
        if (url == null || url.isBlank()) {
            return null;
        }
        return of(url.trim(), env.get("BENCHMON_DB_USER"), env.get("BENCHMON_DB_PASSWORD"));
    }

    /**
     * Settings of a read-only copy (a PostgreSQL streaming replica) from {@code BENCHMON_DB_READ_URL}, with
     * {@code BENCHMON_DB_READ_USER} and {@code BENCHMON_DB_READ_PASSWORD}, else the login of {@code BENCHMON_DB_USER}
     * and {@code BENCHMON_DB_PASSWORD} (a replica has the primary's roles); {@code null} when the read URL is not set.
     */
    public static ConnectionSettings readFromEnvironment(Map<String, String> env) {
        String url = env.get("BENCHMON_DB_READ_URL");
        if (url == null || url.isBlank()) {
            return null;
        }
        String user = env.get("BENCHMON_DB_READ_USER");
        boolean ownLogin = user != null && !user.isBlank();
        return of(url.trim(), ownLogin ? user.trim() : env.get("BENCHMON_DB_USER"),
                ownLogin ? env.get("BENCHMON_DB_READ_PASSWORD") : env.get("BENCHMON_DB_PASSWORD"));
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
        return app.as(owner.trim(), env.get("BENCHMON_DB_OWNER_PASSWORD"));
    }

    /** The same database with another login (a {@code user=} or {@code password=} in the URL is dropped). */
    public ConnectionSettings as(String otherUser, String otherPassword) {
        String url = jdbcUrl.replaceAll("(?i)([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
        return new ConnectionSettings(url, otherUser, otherPassword);
    }

    /** The URL with any password parameter masked. */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("(//[^:/@]+:)[^@/]*@", "$1****@");
    }

    @Override
    public String toString() {
        return maskUrl(jdbcUrl) + (user == null ? "" : " user=" + user) + (password == null ? "" : " password=****");
    }
}
