package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Filter;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.query.SnapshotRow;
import dev.benchmon.server.ingest.IngestReport;
import dev.benchmon.server.ingest.ResultReport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The series an lm-eval push started that earlier versions would have stored into a series that exists: the adapter
 * now puts a checkpoint into the model_version ({@code NAME@REVISION}) and the shots into the prompt_version
 * ({@code 5-shot}), so an upgraded push of a revisioned run or a few-shot task goes to a new series, and the old
 * series (with any alert open on it) is no longer pushed to. Push warns once per such old series, naming how to keep
 * pushing there ({@code --model-version NAME}, {@code --prompt-version ''}). The snapshots of the pushed and the old
 * names ({@link #filters}) are read after the push by {@link PostPushChecks}, only for an lm-eval push that stored a
 * result in a series of the new form.
 */
final class OldLmEvalSeries {
    /** The prompt_version the adapter gives a few-shot task. */
    private static final Pattern SHOTS = Pattern.compile("[0-9]+-shot");

    private OldLmEvalSeries() {
    }

    /**
     * The new forms the adapter gave this push's series: a model's {@code @REVISION} unless {@code --model-version}
     * named the model, the {@code N-shot} prompt unless {@code --prompt-version} named it. A name the user gave is
     * theirs ({@code --model-version team@v2}): no earlier version gave it another form, whatever it holds.
     */
    private record Forms(boolean revision, boolean shots) {
        static Forms of(ResultOverrides overrides) {
            return new Forms(overrides.modelVersion() == null, overrides.promptVersion() == null);
        }

        /** The model without the revision the adapter gave it, or {@code null}. */
        String bare(String model) {
            return revision ? OldLmEvalSeries.revision(model) : null;
        }

        /** Whether the adapter gave {@code prompt}, the shots of a few-shot task. */
        boolean shots(String prompt) {
            return shots && SHOTS.matcher(nz(prompt)).matches();
        }
    }

    /** A series' snapshot as this check needs it: its names and how many runs it holds. */
    record Snapshot(SeriesKey series, long runCount) {
    }

    /**
     * The series of the new form this push stored into, each with the runs it added there: a result stored as the next
     * attempt of a CI run adds none (a snapshot's run_count counts a run once, its attempts together).
     */
    private static Map<SeriesKey, Integer> newForm(List<BenchmarkResult> results, IngestReport report, Forms forms) {
        Map<SeriesKey, Integer> out = new LinkedHashMap<>();
        for (ResultReport r : report.results()) {
            BenchmarkResult sent = r.created() && r.index() >= 0 && r.index() < results.size() ? results.get(r.index()) : null;
            if (sent != null && (forms.bare(sent.modelVersion()) != null || forms.shots(sent.promptVersion()))) {
                out.merge(SeriesKey.of(sent), r.rerun() ? 0 : 1, Integer::sum);
            }
        }
        return out;
    }

    /** The model name without its {@code @REVISION}, or {@code null} when it names none. */
    private static String revision(String model) {
        int at = model == null ? -1 : model.lastIndexOf('@');
        return at <= 0 || at == model.length() - 1 ? null : model.substring(0, at);
    }

    /** The forms earlier versions gave {@code s}: without the revision, with the empty prompt, or both. */
    private static List<SeriesKey> oldForms(SeriesKey s, Forms forms) {
        String bare = forms.bare(s.model());
        boolean shots = forms.shots(s.prompt());
        List<SeriesKey> out = new ArrayList<>();
        if (bare != null) {
            out.add(new SeriesKey(bare, s.dataset(), s.prompt(), s.environment()));
        }
        if (shots) {
            out.add(new SeriesKey(s.model(), s.dataset(), "", s.environment()));
        }
        if (bare != null && shots) {
            out.add(new SeriesKey(bare, s.dataset(), "", s.environment()));
        }
        return out;
    }

    /**
     * The snapshots to read, of the pushed series of the new form and of their old forms, each read by its models, the
     * datasets and the environments of those series (a few series each, never every series of the datasets): one
     * read of the models pushed, then one of each model name without its revision that is not among them, by itself,
     * as the store may not know it (no series holds it: the read finds nothing, {@link PostPushChecks.Store#snapshots}).
     * Empty when it stored nothing of the new form (nothing to read).
     *
     * @param overrides push's series flags: a name one gave is no form of the adapter's
     * @param report    the push's report of the results read as lm-eval output alone (the caller picks them by the format
     *                  each file was read in)
     */
    static List<Filter> filters(ResultOverrides overrides, List<BenchmarkResult> results, IngestReport report) {
        Forms forms = Forms.of(overrides);
        Set<SeriesKey> pushed = newForm(results, report, forms).keySet();
        if (pushed.isEmpty()) {
            return List.of();
        }
        Filter named = Filter.all().withDatasets(pushed.stream().map(SeriesKey::dataset).distinct().toList())
                .withEnvironments(pushed.stream().map(SeriesKey::environment).distinct().toList());
        List<String> models = pushed.stream().map(SeriesKey::model).distinct().toList();
        List<Filter> out = new ArrayList<>();
        out.add(named.withModels(models));
        pushed.stream().map(s -> forms.bare(s.model())).filter(m -> m != null && !models.contains(m)).distinct()
                .forEach(bare -> out.add(named.withModels(List.of(bare))));
        return out;
    }

    /**
     * One warning per old series: of each series of the new form this push started (it holds only the runs this push
     * stored there), each old form that holds runs, e.g. {@code warning: EleutherAI/pythia-1b@step100000 / hellaswag
     * @local is a new series; earlier benchmon versions stored these results in EleutherAI/pythia-1b / hellaswag @local
     * (its runs and alerts stay there): to keep pushing there, give --model-version EleutherAI/pythia-1b}.
     */
    static List<String> warnings(ResultOverrides overrides, List<BenchmarkResult> results, IngestReport report,
                                 List<Snapshot> snapshots) {
        Forms forms = Forms.of(overrides);
        Map<SeriesKey, Long> runCounts = new HashMap<>();
        snapshots.forEach(s -> runCounts.put(s.series(), s.runCount()));
        Set<SeriesKey> warned = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        newForm(results, report, forms).forEach((series, stored) -> {
            Long runs = runCounts.get(series);
            if (runs == null || runs > stored) {
                return; // the series existed before this push: its change of form is not news now
            }
            for (SeriesKey old : oldForms(series, forms)) {
                if (runCounts.containsKey(old) && warned.add(old)) {
                    List<String> flags = new ArrayList<>();
                    if (!old.model().equals(series.model())) {
                        flags.add("--model-version " + old.model());
                    }
                    if (!old.prompt().equals(series.prompt())) {
                        flags.add("--prompt-version ''");
                    }
                    out.add("warning: " + series.label() + " is a new series; earlier benchmon versions stored these"
                            + " results in " + old.label() + " (its runs and alerts stay there): to keep pushing there,"
                            + " give " + String.join(" ", flags));
                }
            }
        });
        return out;
    }

    /** The snapshots of the database's answer ({@code push --db}, {@code --home}). */
    static List<Snapshot> snapshotsOf(List<SnapshotRow> rows) {
        return rows.stream().map(r -> new Snapshot(new SeriesKey(r.modelVersion(), r.datasetVersion(), r.promptVersion(),
                r.environment()), r.runCount())).toList();
    }

    /** The snapshots of a server's {@code GET /api/v1/snapshots} answer ({@code rows}). */
    static List<Snapshot> snapshotsOf(JsonNode answer) {
        List<Snapshot> out = new ArrayList<>();
        answer.path("rows").forEach(row -> out.add(new Snapshot(SeriesKey.of(row), row.path("run_count").asLong())));
        return out;
    }

    /** {@code filter} as the query of {@code GET /api/v1/snapshots} (JSON): its models, datasets and environments. */
    static String snapshotsQuery(Filter f) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("model", f.models());
        params.put("dataset", f.datasets());
        params.put("environment", f.environments());
        return ExportCommand.query(params).substring(1);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
