package dev.benchmon.alert;

import java.util.List;

/**
 * Which alerts to list. Empty lists and {@code null}s mean "any". Open alerts come first, then
 * newest first.
 *
 * @param states       states to include
 * @param seriesId     one series ({@code series.id}), or {@code null}
 * @param metric       one metric, or {@code null}
 * @param limit        at most this many (1 to 10,000; default 500)
 * @param models       model versions of the alerts' series (any of them), as {@link dev.benchmon.Filter#models()}
 * @param datasets     dataset versions of the alerts' series (any of them)
 * @param prompts      prompt versions of the alerts' series (any of them; "" is the series without a prompt)
 * @param environments environments of the alerts' series (any of them)
 */
public record AlertFilter(List<AlertState> states, Integer seriesId, String metric, int limit, List<String> models,
                          List<String> datasets, List<String> prompts, List<String> environments) {
    public static final int DEFAULT_LIMIT = 500;

    public AlertFilter {
        states = states == null ? List.of() : List.copyOf(states);
        models = models == null ? List.of() : List.copyOf(models);
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        prompts = prompts == null ? List.of() : List.copyOf(prompts);
        environments = environments == null ? List.of() : List.copyOf(environments);
        if (limit < 1 || limit > 10_000) {
            throw new dev.benchmon.InvalidArgumentException(dev.benchmon.ValidationException.Problem.of("limit",
                    "must be from 1 to 10000, got " + limit));
        }
    }

    /** Alerts of any series' names: the form before the series' names could be filtered on. */
    public AlertFilter(List<AlertState> states, Integer seriesId, String metric, int limit) {
        this(states, seriesId, metric, limit, List.of(), List.of(), List.of(), List.of());
    }

    /** Every alert (up to the default limit). */
    public static AlertFilter all() {
        return new AlertFilter(List.of(), null, null, DEFAULT_LIMIT);
    }

    /** Alerts in these states. */
    public static AlertFilter states(AlertState... states) {
        return all().withStates(List.of(states));
    }

    public AlertFilter withStates(List<AlertState> value) {
        return new AlertFilter(value, seriesId, metric, limit, models, datasets, prompts, environments);
    }

    public AlertFilter withSeries(Integer value) {
        return new AlertFilter(states, value, metric, limit, models, datasets, prompts, environments);
    }

    public AlertFilter withMetric(String value) {
        return new AlertFilter(states, seriesId, value == null || value.isEmpty() ? null : value, limit, models, datasets,
                prompts, environments);
    }

    public AlertFilter withLimit(int value) {
        return new AlertFilter(states, seriesId, metric, value, models, datasets, prompts, environments);
    }

    /**
     * Only alerts of series with one of these model, dataset, prompt versions and environments (each list empty:
     * any), as {@link dev.benchmon.Filter} picks series.
     */
    public AlertFilter withSeriesNames(List<String> models, List<String> datasets, List<String> prompts,
                                       List<String> environments) {
        return new AlertFilter(states, seriesId, metric, limit, models, datasets, prompts, environments);
    }

    /** The series' names of a {@link dev.benchmon.Filter}: its models, datasets, prompts and environments. */
    public AlertFilter withSeriesNames(dev.benchmon.Filter f) {
        return withSeriesNames(f.models(), f.datasets(), f.prompts(), f.environments());
    }
}
