package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.InvalidArgumentException;
import dev.benchmon.UnknownNameException;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.compare.UnknownSide;
import dev.benchmon.ingest.TextRules;
import dev.benchmon.server.api.errors.NotFoundException;
import io.javalin.http.Context;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/compare}: models against a reference model, or, with {@code paired=true}, two results on
 * their shared items.
 *
 * <ul>
 *   <li>Models: the filter parameters, {@code reference} (default: the first {@code model} named), {@code pool=true}
 *       to pool over dataset versions and environments; answers the table of {@code Benchmon.compareModels}.</li>
 *   <li>Paired: {@code paired=true} with {@code a} and {@code b} (each a model version, a transaction id or a CI
 *       run id) or exactly two {@code model}s, and {@code dataset} (needed when a model has several), optionally
 *       one {@code environment}; answers {@link ComparisonJson}. {@code part=slices|flips} with {@code format=csv}
 *       gives that table as CSV. A name that is no model or result is a 404 naming the parameter and the value and
 *       where names are listed ({@link #unknown}); an empty {@code a} or {@code b} is a 400 naming it.</li>
 *   <li>Both: {@code confidence} (default 0.95), {@code seed}, {@code resamples} (default 2000),
 *       {@code min_slice_size} (default 30); the last three whole numbers ({@code 1.5} is refused naming the
 *       parameter). A {@code reference} that is not among the models compared is refused (400) listing them.</li>
 * </ul>
 */
public final class CompareEndpoint {
    /** The parameters this endpoint takes. */
    public static final Set<String> PARAMS;

    static {
        Set<String> all = new HashSet<>(QueryParams.FILTER);
        all.addAll(Set.of("paired", "reference", "pool", "confidence", "seed", "resamples", "min_slice_size", "a", "b",
                "part"));
        PARAMS = Set.copyOf(all);
    }

    private final Benchmon benchmon;

    public CompareEndpoint(Benchmon benchmon) {
        this.benchmon = benchmon;
    }

    public void get(Context ctx) {
        // The one validation path: strict UTF-8 of the raw query, then every name checked against the database.
        answer(ctx, QueryParams.of(ctx, PARAMS).withKnownNames(benchmon::knownNames));
    }

    private void answer(Context ctx, QueryParams q) {
        Filter filter = q.filter();
        boolean csv = q.csv(ctx);
        boolean paired = Boolean.TRUE.equals(q.bool("paired"));
        CompareOptions options = options(q);
        String part = q.single("part");
        if (part != null && !Set.of("summary", "slices", "flips").contains(part)) {
            q.problem("part", "must be summary, slices or flips, got '" + TextRules.quoted(part) + "'");
        }
        if (!paired) {
            for (String name : List.of("a", "b", "part")) {
                if (q.single(name) != null) {
                    q.problem(name, "applies to paired=true only");
                }
            }
            q.check();
            TableResponses.write(ctx, benchmon.compareModels(filter, options), csv, "compare", null);
            return;
        }
        String a = q.single("a");
        String b = q.single("b");
        // The parameter each side came in, so that a refusal names what was sent: a and b, or two models.
        String fieldA = "a";
        String fieldB = "b";
        if (a == null && b == null && !q.given("a") && !q.given("b")) {
            fieldA = "model";
            fieldB = "model";
            if (filter.models().size() == 2) {
                a = filter.models().get(0);
                b = filter.models().get(1);
            } else {
                q.problem("model", "paired=true compares two things: give exactly two models, or a and b (model "
                        + "versions, transaction ids or run ids); got " + filter.models().size() + " models");
            }
        } else {
            // each side left out is named (a=&... with no b names b too); an empty one is refused as such
            for (String side : List.of("a", "b")) {
                if (!q.given(side)) {
                    q.problem(side, "paired=true compares two things: give a and b (model versions, transaction ids or "
                            + "run ids), or exactly two models");
                }
            }
        }
        if (filter.datasets().size() > 1) {
            q.problem("dataset", "a paired comparison is on one dataset version, got " + filter.datasets());
        }
        if (filter.environments().size() > 1) {
            q.problem("environment", "name at most one environment for a paired comparison, got " + filter.environments());
        }
        q.check();
        RunComparison c;
        try {
            c = benchmon.comparison(a, b, first(filter.datasets()), first(filter.environments()), options);
        } catch (UnknownNameException e) {
            String field = UnknownSide.field(e, a, fieldA, b, fieldB);
            throw new NotFoundException(field, UnknownSide.apiRefusal(field, e));
        } catch (InvalidArgumentException e) {
            // The toolkit names a side's own refusal (a run id of several results) a or b; two models name it model.
            throw fieldA.equals("a") ? e : new InvalidArgumentException(e.problems().stream()
                    .map(p -> p.field() != null && Set.of("a", "b").contains(p.field()) ? Problem.of("model", p.message()) : p)
                    .toList());
        }
        if (csv) {
            var table = "slices".equals(part) ? c.slices() : "flips".equals(part) ? c.flips() : c.summary();
            TableResponses.write(ctx, table, true, "compare-" + (part == null ? "summary" : part), null);
            return;
        }
        ObjectNode root = ComparisonJson.of(c, options);
        ctx.contentType("application/json; charset=utf-8").result(root.toString());
    }

    /** The comparison options the parameters give; problems are recorded on {@code q}. */
    static CompareOptions options(QueryParams q) {
        CompareOptions o = CompareOptions.defaults();
        String reference = q.single("reference");
        Double confidence = number(q, "confidence");
        Long seed = whole(q, "seed");
        Long resamples = whole(q, "resamples");
        Long minSlice = whole(q, "min_slice_size");
        boolean pool = Boolean.TRUE.equals(q.bool("pool"));
        try {
            o = o.withReference(reference).withPooled(pool);
            if (confidence != null) o = o.withConfidence(confidence);
            if (seed != null) o = o.withSeed(seed);
            if (resamples != null) o = o.withResamples(clamped(resamples));
            if (minSlice != null) o = o.withMinSliceSize(clamped(minSlice));
        } catch (ValidationException e) {
            e.problems().forEach(p -> q.problem(p.field(), p.message()));
        }
        return o;
    }

    private static Double number(QueryParams q, String name) {
        String v = q.single(name);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        q.problem(name, "must be a number, got '" + TextRules.quoted(v) + "'");
        return null;
    }

    /**
     * A whole-number parameter (seed, resamples, min_slice_size), or {@code null} (absent, or a problem recorded):
     * {@code 1.5} is refused, not truncated to 1 (a seed of 1.5 would silently be seed 1).
     */
    private static Long whole(QueryParams q, String name) {
        String v = q.single(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            q.problem(name, "must be a whole number, got '" + TextRules.quoted(v) + "'");
            return null;
        }
    }

    /** {@code n} as an int, the nearest one beyond int's range, so that the options' range check refuses it. */
    private static int clamped(long n) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? null : values.get(0);
    }

}
