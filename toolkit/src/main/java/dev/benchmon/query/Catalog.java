package dev.benchmon.query;

import dev.benchmon.MetricDirection;
import dev.benchmon.UnknownNameException;
import dev.benchmon.ValidationException;
import dev.benchmon.ingest.ResultValidator;
import org.jdbi.v3.core.Jdbi;
import tech.tablesaw.api.Table;

import java.util.List;

/**
 * What the database knows about: models, datasets, prompts, environments, providers, metrics and
 * their definitions. Read from the snapshot table, which has one row per series, so it is cheap.
 */
public final class Catalog {
    private final Jdbi jdbi;

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

    /** Metric names present in the latest result of any series. */
    public List<String> metrics() {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT DISTINCT jsonb_object_keys(metrics) AS name FROM benchmark_snapshots ORDER BY 1")
                .mapTo(String.class).list());
    }

    private List<String> distinct(String column) {
        // column is one of four fixed names above, never user input
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT " + column + " FROM benchmark_snapshots ORDER BY 1")
                .mapTo(String.class).list());
    }

    /** The direction of a metric: its definition, or the default for its name. */
    public MetricDirection direction(String metric) {
        return MetricDirection.parse(jdbi.withHandle(h -> h.createQuery("SELECT metric_direction(:m)")
                .bind("m", metric).mapTo(String.class).one()));
    }

    /** Every metric seen or defined, with its direction, unit and description. */
    public Table metricDefinitions() {
        TableReader reader = TableReader.named("metric definitions").string("name", "direction", "unit", "description")
                .booleans("defined");
        jdbi.useHandle(h -> h.createQuery("""
                SELECT n.name, metric_direction(n.name) AS direction, d.unit, d.description, d.name IS NOT NULL AS defined
                FROM (SELECT name FROM metric_definitions
                      UNION SELECT jsonb_object_keys(metrics) FROM benchmark_snapshots) n
                LEFT JOIN metric_definitions d ON d.name = n.name
                ORDER BY n.name""").map((rs, ctx) -> {
                    reader.row(rs);
                    return null;
                }).list());
        return reader.table();
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
        List<ValidationException.Problem> problems = ResultValidator.metricNameProblems("name", name);
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO metric_definitions (name, direction, unit, description) VALUES (:n, :d, :u, :desc)
                ON CONFLICT (name) DO UPDATE SET direction = excluded.direction, unit = excluded.unit,
                                                 description = excluded.description""")
                .bind("n", name).bind("d", direction.sqlName()).bind("u", unit).bind("desc", description).execute());
    }

    /** Throws {@link UnknownNameException} unless the model has results. */
    public void requireModel(String model) {
        List<String> known = models();
        if (!known.contains(model)) {
            throw new UnknownNameException("model", model, known);
        }
    }

    /** Throws {@link UnknownNameException} unless some series' latest result has the metric. */
    public void requireMetric(String metric) {
        List<String> known = metrics();
        if (!known.contains(metric)) {
            throw new UnknownNameException("metric", metric, known);
        }
    }
}
