package dev.benchmon.query;

import dev.benchmon.Filter;
import dev.benchmon.MetricDirection;
import dev.benchmon.UnknownNameException;
import dev.benchmon.ValidationException;
import dev.benchmon.detect.DetectionService;
import dev.benchmon.detect.MetricSemantics;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.ResultValidator;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What the database knows about: models, datasets, prompts, environments, providers, metrics and
 * their definitions. Read from the snapshot table, which has one row per series, so it is cheap; metrics from
 * metric_names (V16), which holds every metric name any result has, once.
 */
public final class Catalog {
    /** About the most series names {@link #requireKnown} remembers (a few MB); past it, names are checked every time. */
    private static final int MAX_REMEMBERED_NAMES = 10_000;
    /**
     * How long remembered names are trusted. benchmon never deletes a snapshot row nor changes its names, but a
     * database restored from an older backup, or a failover that lost recent commits, can; after that a name
     * is checked again within this time instead of reading as known until a restart.
     */
    private static final long REMEMBER_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

    private final Jdbi jdbi;
    /**
     * Environments, models, datasets and prompts found known. The check reads the snapshot table, whose rows
     * benchmon never deletes and whose names never change (the writer's upsert is keyed by them), so such a name
     * stays known, and a read that names only these skips the check's statement: one round trip on every
     * filtered read and page. Providers, metrics and tags are checked every time (providers and tags are known
     * through the latest result of a series, which can change; metrics through metric_names, one probe).
     */
    private final Set<KnownName> knownSeriesNames = ConcurrentHashMap.newKeySet();
    private volatile long rememberedSince = System.nanoTime();

    private record KnownName(String kind, String name) {
    }

    /** The kinds of name a series has, as {@link UnknownNameException} names them, and where a filter holds them. */
    private static final Map<String, Function<Filter, List<String>>> SERIES_NAME_KINDS = Map.of(
            "environment", Filter::environments, "model", Filter::models, "dataset", Filter::datasets,
            "prompt", Filter::prompts);

    public Catalog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<String> models() { return distinct("model_version"); }
    public List<String> datasets() { return distinct("dataset_version"); }
    public List<String> prompts() { return distinct("prompt_version"); }
    public List<String> environments() { return distinct("environment"); }

    public List<String> providers() {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT DISTINCT model_provider FROM benchmark_snapshots WHERE model_provider IS NOT NULL ORDER BY 1")
                .mapTo(String.class).list());
    }

    /** Metric names of any stored result (metric_names). */
    public List<String> metrics() {
        return jdbi.withHandle(h -> h.createQuery(
                // Every metric any stored result has (metric_names, V16, kept by the log's insert trigger), not only those
                // of the series' latest results: a metric a series stopped reporting still has its history and alerts.
                "SELECT name FROM metric_names ORDER BY 1")
                .mapTo(String.class).list());
    }

    /**
     * The metric names a series reported in any stored result (its daily rollups), by name; empty when there is no
     * such series.
     */
    public List<String> metricsOfSeries(int seriesId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT DISTINCT mn.name FROM benchmark_rollups_daily r JOIN metric_names mn ON mn.id = r.metric_id
                        WHERE r.series_id = :s ORDER BY 1""")
                .bind("s", seriesId).mapTo(String.class).list());
    }

    private List<String> distinct(String column) {
        // column is one of four fixed names above, never user input
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT " + column + " FROM benchmark_snapshots ORDER BY 1")
                .mapTo(String.class).list());
    }

    /**
     * The direction of a metric by the detection engine's rule ({@link MetricSemantics}): its definition, else the
     * built-in dictionary's for its name, else {@link MetricDirection#UNKNOWN}.
     */
    public MetricDirection direction(String metric) {
        return MetricSemantics.of(metric, jdbi.withHandle(DetectionService::definitionsIn)).reportedDirection();
    }

    /**
     * Every metric seen or defined, one row each ({@code name, direction, unit, description, defined, built_in}), the
     * direction by the engine's rule ({@link #direction}): {@code unknown} for a metric neither declared nor
     * recognised by the dictionary.
     */
    public Table metricDefinitions() {
        return definitions("""
                SELECT n.name, d.direction, d.unit, d.description, d.name IS NOT NULL AS defined, %s
                FROM (SELECT name FROM metric_definitions
                      UNION SELECT name FROM metric_names) n
                LEFT JOIN metric_definitions d ON d.name = n.name
                ORDER BY n.name""".formatted(BUILT_IN), q -> q);
    }

    /**
     * {@link #metricDefinitions()} of {@code metrics} only (those seen or defined; others have no row), in one
     * statement that reads their rows by name: what a page needs for the few metrics it draws, at the same cost
     * with 1,000 metric names as with 10. No statement for an empty collection.
     */
    public Table metricDefinitions(Collection<String> metrics) {
        if (metrics.isEmpty()) {
            return definitions(null, q -> q);
        }
        return definitions("""
                SELECT n.name, d.direction, d.unit, d.description, d.name IS NOT NULL AS defined, %s
                FROM (SELECT DISTINCT x FROM unnest(CAST(:names AS text[])) x) AS n(name)
                LEFT JOIN metric_definitions d ON d.name = n.name
                WHERE d.name IS NOT NULL OR EXISTS (SELECT 1 FROM metric_names m WHERE m.name = n.name)
                ORDER BY n.name""".formatted(BUILT_IN), q -> q.bind("names", metrics.toArray(String[]::new)));
    }

    /**
     * Whether a row's definition is one of the schema's defaults ({@code V1__benchmark_tables.sql} inserts these ten), as
     * it created it: every definition written since schema version 8 goes through {@code define_metric()}, which records
     * the change, so a default with no recorded change was never redefined through it. ({@code metrics list} said
     * "declared" of {@code accuracy} on a fresh database.) By name too: a metric someone declared before version 8 has no
     * recorded change either. A default edited before version 8 still reads as default.
     */
    private static final String BUILT_IN = "d.name IN ('precision', 'recall', 'f1', 'accuracy', 'auc', 'latency_ms', 'cost', "
            + "'analysis_cost', 'error_rate', 'loss') AND NOT EXISTS (SELECT 1 FROM metric_definition_changes c "
            + "WHERE c.name = d.name) AS built_in";

    /**
     * The definitions table of {@code sql}'s rows (columns name, direction as declared or NULL, unit, description,
     * defined, built_in; {@code null} for no statement), each direction then resolved by {@link MetricSemantics} against the
     * row's own definition: the same rule as {@link #direction}, with nothing more read.
     */
    private Table definitions(String sql, UnaryOperator<Query> bind) {
        TableReader reader = TableReader.named("metric definitions").string("name", "direction", "unit", "description")
                .booleans("defined", "built_in");
        if (sql != null) {
            jdbi.useHandle(h -> bind.apply(h.createQuery(sql)).map((rs, ctx) -> {
                reader.row(rs);
                return null;
            }).list());
        }
        Table t = reader.table();
        // Filled in here, not by SQL: the dictionary is Java's, and one rule answers for every path.
        tech.tablesaw.api.StringColumn names = t.stringColumn("name");
        tech.tablesaw.api.StringColumn directions = t.stringColumn("direction");
        for (int i = 0; i < t.rowCount(); i++) {
            String name = names.get(i);
            Map<String, dev.benchmon.MetricDefinition> own = t.booleanColumn("defined").get(i)
                    ? Map.of(name, new dev.benchmon.MetricDefinition(name, MetricDirection.parse(directions.get(i)),
                            t.stringColumn("unit").get(i), null, t.stringColumn("description").get(i)))
                    : Map.of();
            directions.set(i, MetricSemantics.of(name, own).reportedDirection().sqlName());
        }
        return t;
    }

    /** Throws {@link ValidationException} unless {@code name} is a valid metric name. */
    public void requireValidName(String name) {
        List<ValidationException.Problem> problems = ResultValidator.metricNameProblems("name", name);
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }

    /** Defines (or redefines) a metric's direction, unit and description. */
    public void defineMetric(String name, MetricDirection direction, String unit, String description) {
        List<ValidationException.Problem> problems = new java.util.ArrayList<>(ResultValidator.storableMetricNameProblems("name", name));
        problems.addAll(dev.benchmon.MetricDefinition.textProblems(unit, "unit", description, "description"));
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        new dev.benchmon.MetricDefinition(name, direction, unit, null, description); // refuses a null or UNKNOWN direction
        // Through the SECURITY DEFINER function, which records who changed what (the OS user here).
        jdbi.useTransaction(h -> {
            // Pushes in flight (which may have read the old definition) commit first; later ones read the new one.
            dev.benchmon.db.IngestLock.exclusive(h);
            h.createQuery("""
                    SELECT define_metric(p_name => :n, p_direction => :d, p_unit => :u, p_description => :desc,
                                         p_changed_by => :by)::text""")
                    .bind("n", name).bind("d", direction.sqlName()).bind("u", unit).bind("desc", description)
                    .bind("by", System.getProperty("user.name")).mapTo(String.class).one();
        });
    }

    /**
     * Throws {@link UnknownNameException} for the first name in the filter that the database does not
     * hold (environment, model, dataset, prompt, provider, metric, tag), listing the known names of
     * that kind. Names are known when some series has them (the snapshot table); a metric when some
     * stored result has it (metric_names); a tag {@code k=v} when some result carries it. One query
     * over the snapshot table, and only when the filter names something not found known in the last ten minutes
     * (environments, models, datasets and prompts found known are remembered).
     */
    public void requireKnown(Filter filter) {
        String[] unknown = firstUnknown(filter);
        if (unknown != null && unknown[0].equals("metric")) {
            requireMetric(unknown[1]); // one wording for a metric defined but without results, on every path
        }
        if (unknown != null) {
            throw new UnknownNameException(unknown[0], unknown[1], known(unknown[0]));
        }
        filter.tags().forEach((k, v) -> {
            String tag = ResultJson.mapper().createObjectNode().put(k, v).toString();
            boolean present = jdbi.withHandle(h -> h.createQuery(
                    "SELECT EXISTS (SELECT 1 FROM benchmark_transactions t WHERE t.tags @> CAST(:tag AS jsonb))")
                    .bind("tag", tag).mapTo(Boolean.class).one());
            if (!present) {
                throw new UnknownNameException("tag", k + "=" + v, tags());
            }
        });
    }

    /**
     * Whether some series has model version {@code name}, found as {@link #requireKnown} finds a filter's model (and
     * remembered when known), without its refusal, which lists the known models: for a name that may name something
     * else (a comparison's result id or CI run id). A name no result can have (empty, surrounding whitespace, a
     * control character) is none.
     */
    public boolean hasModel(String name) {
        return dev.benchmon.ingest.TextRules.nameProblems("model", name).isEmpty()
                && firstUnknown(Filter.all().withModels(name)) == null;
    }

    /**
     * The first series name, provider or metric of {@code filter} the database does not hold, as its kind and the
     * name; {@code null} when it holds them all, whose series names are then remembered as known. Tags are not looked
     * at.
     */
    private String[] firstUnknown(Filter filter) {
        if (System.nanoTime() - rememberedSince > REMEMBER_NANOS) {
            knownSeriesNames.clear();
            rememberedSince = System.nanoTime();
        }
        // The series names to look up, by kind; each kind's array is bound as its plural (:environments, ...).
        Map<String, List<String>> toCheck = new HashMap<>();
        SERIES_NAME_KINDS.forEach((kind, names) -> toCheck.put(kind, notYetKnown(kind, names.apply(filter))));
        boolean names = toCheck.values().stream().anyMatch(l -> !l.isEmpty())
                || !filter.providers().isEmpty() || !filter.metrics().isEmpty();
        if (names) {
            List<String[]> unknown = jdbi.withHandle(h -> bindSeriesNames(h.createQuery("""
                    SELECT u.kind, u.name FROM (
                        SELECT 1 AS o, 'environment' AS kind, x AS name FROM unnest(CAST(:environments AS text[])) x
                         WHERE NOT EXISTS (SELECT 1 FROM benchmark_snapshots s WHERE s.environment = x)
                        UNION ALL
                        SELECT 2, 'model', x FROM unnest(CAST(:models AS text[])) x
                         WHERE NOT EXISTS (SELECT 1 FROM benchmark_snapshots s WHERE s.model_version = x)
                        UNION ALL
                        SELECT 3, 'dataset', x FROM unnest(CAST(:datasets AS text[])) x
                         WHERE NOT EXISTS (SELECT 1 FROM benchmark_snapshots s WHERE s.dataset_version = x)
                        UNION ALL
                        SELECT 4, 'prompt', x FROM unnest(CAST(:prompts AS text[])) x
                         WHERE NOT EXISTS (SELECT 1 FROM benchmark_snapshots s WHERE s.prompt_version = x)
                        UNION ALL
                        SELECT 5, 'provider', x FROM unnest(CAST(:providers AS text[])) x
                         WHERE NOT EXISTS (SELECT 1 FROM benchmark_snapshots s WHERE s.model_provider = x)
                        UNION ALL
                        SELECT 6, 'metric', x FROM unnest(CAST(:metrics AS text[])) x
                         WHERE NOT EXISTS (SELECT 1 FROM metric_names n WHERE n.name = x)
                    ) u ORDER BY u.o LIMIT 1"""), toCheck)
                    .bind("providers", filter.providers().toArray(String[]::new))
                    .bind("metrics", filter.metrics().toArray(String[]::new))
                    .map((rs, ctx) -> new String[] {rs.getString("kind"), rs.getString("name")}).list());
            if (!unknown.isEmpty()) {
                return unknown.get(0);
            }
            toCheck.forEach(this::remember);
        }
        return null;
    }

    private static Query bindSeriesNames(Query q, Map<String, List<String>> toCheck) {
        toCheck.forEach((kind, names) -> q.bind(kind + "s", names.toArray(String[]::new)));
        return q;
    }

    private List<String> notYetKnown(String kind, List<String> names) {
        List<String> out = new ArrayList<>(names.size());
        for (String name : names) {
            if (!knownSeriesNames.contains(new KnownName(kind, name))) {
                out.add(name);
            }
        }
        return out;
    }

    private void remember(String kind, List<String> names) {
        for (String name : names) {
            if (knownSeriesNames.size() >= MAX_REMEMBERED_NAMES) {
                return;
            }
            knownSeriesNames.add(new KnownName(kind, name));
        }
    }

    /** The kinds of name {@link #known} answers, in the order its error lists them. */
    public static final List<String> KINDS = List.of("environment", "model", "dataset", "prompt", "provider", "metric",
            "tag");

    /**
     * The known names of one kind: environment, model, dataset, prompt, provider, metric or tag.
     *
     * @throws UnknownNameException (kind {@code kind of name}) listing the kinds for any other {@code kind}
     */
    public List<String> known(String kind) {
        return switch (kind) {
            case "environment" -> environments();
            case "model" -> models();
            case "dataset" -> datasets();
            case "prompt" -> prompts();
            case "provider" -> providers();
            case "metric" -> metrics();
            case "tag" -> tags();
            default -> throw new UnknownNameException("kind of name", kind, KINDS);
        };
    }

    /** The tags ({@code key=value}) of the latest result of every series. */
    public List<String> tags() {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT DISTINCT k.key || '=' || k.value AS tag
                """ + SnapshotQuery.FROM_SNAPSHOTS_WITH_RUN + """

                CROSS JOIN LATERAL jsonb_each_text(t.tags) k
                ORDER BY 1""").mapTo(String.class).list());
    }

    /** Throws {@link UnknownNameException} unless the model has results. */
    public void requireModel(String model) {
        requireModel(model, "model");
    }

    /** As {@link #requireModel(String)}, naming {@code field} (a comparison's {@code reference}) as the one at fault. */
    public void requireModel(String model, String field) {
        List<String> known = models();
        if (!known.contains(model)) {
            throw new UnknownNameException(field, model, known);
        }
    }

    /**
     * Throws {@link UnknownNameException} unless some stored result has the metric. A metric that is only defined
     * (declared, or one of the schema's ten defaults) is refused too, since an empty answer would hide a misspelt
     * name behind a definition the user never made, but the refusal says it is defined and has no result yet
     * ({@code GET /api/v1/meta} lists it under its definitions, and "unknown" alone contradicted that).
     */
    public void requireMetric(String metric) {
        List<String> known = metrics();
        if (!known.contains(metric)) {
            if (isDefined(metric)) {
                throw new UnknownNameException("metric", metric, UnknownNameException.definedWithoutResults(known));
            }
            throw new UnknownNameException("metric", metric, known);
        }
    }

    /** Whether a metric definition names {@code metric} (declared, or a default), whether or not a result holds it. */
    public boolean isDefined(String metric) {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM metric_definitions WHERE name = :name)")
                .bind("name", metric).mapTo(Boolean.class).one());
    }
}
