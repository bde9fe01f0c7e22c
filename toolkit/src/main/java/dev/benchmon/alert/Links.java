package dev.benchmon.alert;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Links from benchmon to the code host and the CI: {@code repoUrl} is a GitHub or GitLab project URL
 * ({@code https://github.com/org/repo}, {@code https://gitlab.com/group/project}) or any template
 * containing {@code {commit}} (and, for compare links, {@code {from}} and {@code {to}}); {@code ciUrl} is a
 * template containing {@code {run_id}}. Either may be {@code null}: then no link is made.
 */
public record Links(String repoUrl, String ciUrl) {
    /** Keys: {@code BENCHMON_REPO_URL}, {@code BENCHMON_CI_URL}. */
    public static final String REPO_URL = "BENCHMON_REPO_URL";
    public static final String CI_URL = "BENCHMON_CI_URL";

    public Links {
        repoUrl = trim(repoUrl);
        ciUrl = trim(ciUrl);
    }

    /** No links. */
    public static Links none() {
        return new Links(null, null);
    }

    /** A link to a commit, or {@code null}. */
    public String commit(String sha) {
        if (repoUrl == null || sha == null || sha.isBlank()) {
            return null;
        }
        String s = encode(sha);
        if (repoUrl.contains("{commit}")) {
            return repoUrl.replace("{commit}", s);
        }
        if (repoUrl.contains("{")) {
            return null;
        }
        return gitlab() ? repoUrl + "/-/commit/" + s : repoUrl + "/commit/" + s;
    }

    /** A compare link from {@code from} to {@code to} (GitHub {@code from...to}), a commit link when one end is missing, or {@code null}. */
    public String compare(String from, String to) {
        if (repoUrl == null || to == null || to.isBlank()) {
            return null;
        }
        if (from == null || from.isBlank() || from.equals(to)) {
            return commit(to);
        }
        if (repoUrl.contains("{from}") && repoUrl.contains("{to}")) {
            return repoUrl.replace("{from}", encode(from)).replace("{to}", encode(to));
        }
        if (repoUrl.contains("{")) {
            return commit(to);
        }
        return repoUrl + (gitlab() ? "/-/compare/" : "/compare/") + encode(from) + "..." + encode(to);
    }

    /** A link to a CI run, or {@code null}. */
    public String run(String runId) {
        if (ciUrl == null || runId == null || runId.isBlank() || !ciUrl.contains("{run_id}")) {
            return null;
        }
        return ciUrl.replace("{run_id}", encode(runId));
    }

    private boolean gitlab() {
        return repoUrl.toLowerCase(Locale.ROOT).contains("gitlab");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String trim(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.trim();
        return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
    }
}
