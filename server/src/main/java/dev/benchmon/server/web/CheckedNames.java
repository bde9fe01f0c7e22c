package dev.benchmon.server.web;

import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.UnknownNameException;
import dev.benchmon.ValidationException;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names checked one at a time against the catalog ({@link Benchmon#requireKnown}), for one request of the Trends
 * page's small-chart fragment ({@link TrendsSmallChart}): it asks about the few names its URL gives, where a page's
 * {@link Choices} reads every name of five kinds. The catalog remembers environments, models, datasets and prompts
 * found known, so a chart of a known view usually costs no statement here but its metric's probe (metrics are
 * checked every time). An unknown name costs more: the toolkit's exception lists the known names of its kind (one
 * list read), which only a URL its page already named in a notice, or a 400, gives; the kind's list is then read
 * once and answers the rest of that kind.
 */
final class CheckedNames implements KnownNames {
    private final Benchmon benchmon;
    /** Answers already given in this request: a name with a comma is asked about twice (whole, then kept or split). */
    private final Map<String, Boolean> answers = new HashMap<>();
    /**
     * The whole list of a kind, read after its first unknown name: a URL of hundreds of unknown names would otherwise
     * cost two statements each (the probe, and the list the toolkit's exception names), 1.3 s for 1,080 of them.
     */
    private final Map<Kind, List<String>> lists = new EnumMap<>(Kind.class);

    CheckedNames(Benchmon benchmon) {
        this.benchmon = benchmon;
    }

    @Override
    public boolean isKnown(Kind kind, String name) {
        return answers.computeIfAbsent(kind + "\u0000" + name, key -> ask(kind, name));
    }

    private boolean ask(Kind kind, String name) {
        // A filter skips a blank environment, model, dataset or metric (it means "no value") and so would check
        // nothing; no such name can be stored (Choices never lists one), so it is unknown here too. A prompt
        // version "" is a name (results without a prompt) and is checked like any other.
        if (kind != Kind.PROMPT && name.isBlank()) {
            return false;
        }
        List<String> list = lists.get(kind);
        if (list != null) {
            return list.contains(name);
        }
        try {
            benchmon.requireKnown(switch (kind) {
                case ENVIRONMENT -> Filter.all().withEnvironments(name);
                case MODEL -> Filter.all().withModels(name);
                case DATASET -> Filter.all().withDatasets(name);
                case PROMPT -> Filter.all().withPrompts(name);
                case METRIC -> Filter.all().withMetrics(name);
            });
            return true;
        } catch (UnknownNameException e) { // not held: the kind's other names are answered from its list
            lists.put(kind, switch (kind) {
                case ENVIRONMENT -> benchmon.environments();
                case MODEL -> benchmon.models();
                case DATASET -> benchmon.datasets();
                case PROMPT -> benchmon.prompts();
                case METRIC -> benchmon.metrics();
            });
            return false;
        } catch (ValidationException e) { // not a name that can be stored
            return false;
        }
    }

    @Override
    public boolean isDefinedMetric(String metric) {
        return benchmon.isDefinedMetric(metric);
    }

    /** None: the fragment shows no problem of its view (its page did), so no list is read to name the known ones. */
    @Override
    public List<String> listed(Kind kind) {
        return List.of();
    }

    /**
     * {@code null}: the fragment charts the metric its {@code chart} names and never reads the view's metric (its URL
     * carries none), so no statement is spent finding the default a page would show.
     */
    @Override
    public String defaultMetric() {
        return null;
    }
}
