package dev.benchmon.query;

import dev.benchmon.Filter;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Names for type-ahead and for pages that show a subset: at most {@code limit} names starting with a
 * prefix, so a filter bar costs the same with 5,000 models as with 5, or ({@link #matching}) holding a text
 * anywhere, ignoring case. Models, datasets, prompts and
 * environments come from {@code series} (one row per series; a prefix is a range scan of its unique
 * index); metrics from metric_names, every metric name any result has (the names the filter bar accepts).
 */
public final class NameSearch {
    /** The kinds of name, as the API spells them. */
    public enum Kind {
        MODEL("model_version"), DATASET("dataset_version"), PROMPT("prompt_version"), ENVIRONMENT("environment"), METRIC(null);

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        /** The API's name of the kind ({@code model}, {@code metric}, ...). */
        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The most names one call returns. */
    public static final int MAX_LIMIT = 200;

    /**
     * The collation whose case mapping {@link #matching} folds case by: ICU's root locale, the Unicode default case
     * mapping, the same on every database whatever its locale ({@code ÄÖ-model} holds {@code äö} under {@code C} as
     * under {@code en_US.UTF-8}, and {@code I} is {@code i} under a Turkish locale too).
     */
    static final String FOLD_COLLATION = "und-x-icu";

    private final Jdbi jdbi;
    /** {@code COLLATE "und-x-icu"}, or "" where the database cannot use it; found once, on the first match. */
    private volatile String fold;

    public NameSearch(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Up to {@code limit} (1 to {@value #MAX_LIMIT}) distinct names of {@code kind} that start with
     * {@code prefix} (case-sensitive, exact characters; "" for all), in ascending order.
     */
    public List<String> startingWith(Kind kind, String prefix, int limit) {
        int n = Math.max(1, Math.min(MAX_LIMIT, limit));
        String p = prefix == null ? "" : prefix;
        if (kind == Kind.METRIC) {
            return jdbi.withHandle(h -> h.createQuery("""
                    SELECT name FROM metric_names
                    WHERE left(name, length(:p)) = :p
                    ORDER BY name LIMIT :n""").bind("p", p).bind("n", n).mapTo(String.class).list());
        }
        // kind.column is one of four fixed column names, never user input. ">= :p" lets the index
        // start at the prefix; the left() test stops at its end.
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT " + kind.column + " AS name FROM series WHERE "
                        + kind.column + " >= :p AND left(" + kind.column + ", length(:p)) = :p ORDER BY 1 LIMIT :n")
                .bind("p", p).bind("n", n).mapTo(String.class).list());
    }

    /**
     * Type-ahead: up to {@code limit} (1 to {@value #MAX_LIMIT}) distinct names of {@code kind} that hold {@code text}
     * anywhere, ignoring case ({@code MED} finds {@code medgemma-v1}, {@code gemma} finds it too): those that start
     * with it first, then those that hold it further in, each group in ascending order. {@code ""} (or null) gives
     * {@link #startingWith} all names.
     *
     * <p>Case is folded by Unicode's default case mapping, not the database's locale: both sides are lowered under
     * ICU's root collation ({@value #FOLD_COLLATION}, which PostgreSQL creates where it is built with ICU, as the
     * packaged and embedded servers are), so {@code äö} finds {@code ÄÖ-model} on a database created with locale
     * {@code C}, whose {@code lower()} maps only ASCII, and a Turkish locale's dotless i plays no part. A server built
     * without ICU has no such collation: there the database's own {@code lower()} folds, as it did before.
     *
     * <p>No index serves a match within a name: it scans the distinct names once (metric_names, or series: one row per
     * series), which took 16 ms over 36,000 series of 6,000 models (PostgreSQL 15, 2026-12-02), and sorts only what
     * matched. A trigram index would serve it but needs a migration; not worth it at this cost.
     */
    public List<String> matching(Kind kind, String text, int limit) {
        if (text == null || text.isEmpty()) {
            return startingWith(kind, "", limit);
        }
        int n = Math.max(1, Math.min(MAX_LIMIT, limit));
        // kind.column is one of four fixed column names, never user input; strpos, not LIKE, so % and _ are plain.
        String names = kind == Kind.METRIC ? "SELECT name FROM metric_names"
                : "SELECT DISTINCT " + kind.column + " AS name FROM series";
        String c = fold();
        return jdbi.withHandle(h -> {
            String name = "lower(name" + c + ")";
            String t = "lower(CAST(:t AS text)" + c + ")";
            return h.createQuery("SELECT name FROM (" + names + ") m WHERE strpos(" + name + ", " + t + ") > 0"
                            + " ORDER BY strpos(" + name + ", " + t + ") <> 1, name LIMIT :n")
                    .bind("t", text).bind("n", n).mapTo(String.class).list();
        });
    }

    /**
     * The COLLATE clause {@link #matching} lowers names under ({@link #FOLD_COLLATION}), or "" where the database
     * cannot use it. Found by using it, in a statement of its own: {@code pg_collation} lists ICU's collations for
     * every encoding, but a database in {@code SQL_ASCII} refuses them ({@code 42704}, collation "und-x-icu" for
     * encoding "SQL_ASCII" does not exist), as does a server built without ICU.
     */
    private String fold() {
        if (fold == null) {
            String clause = " COLLATE \"" + FOLD_COLLATION + "\"";
            fold = jdbi.withHandle(h -> {
                try {
                    h.createQuery("SELECT lower(CAST('A' AS text)" + clause + ")").mapTo(String.class).one();
                    return clause;
                } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
                    if (e.getCause() instanceof java.sql.SQLException sql && "42704".equals(sql.getSQLState())) {
                        return "";
                    }
                    throw e;
                }
            });
        }
        return fold;
    }

    /**
     * The metric names the filter's series (environment, model, dataset, prompt) reported in its time window, the
     * latest attempt of each run: a metric a series stopped reporting is among them while the window holds its
     * results. Read from the daily rollups of those series and days (the log for the window's partial days, as trends
     * read them), so the cost follows the series and days of the view, not the database; tags and providers are not
     * asked (rollups do not know them) and the filter's metrics are not a restriction.
     */
    public List<String> metricsOf(Filter filter) {
        RollupCells cells = RollupCells.of(filter, List.of(), Instant.now());
        return jdbi.withHandle(h -> cells.bind(h.createQuery(
                "SELECT DISTINCT c.metric FROM (" + cells.sql() + ") c ORDER BY 1")).mapTo(String.class).list());
    }
}
