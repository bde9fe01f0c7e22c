package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Filter;
import dev.benchmon.query.SnapshotRow;
import dev.benchmon.server.ingest.IngestReport;
import dev.benchmon.server.ingest.ResultReport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The series an lm-eval push started that earlier versions would have stored into a series that exists: the adapter
 * now puts a checkpoint into the model_version ({@code NAME@REVISION}) and the shots into the prompt_version
 * ({@code 5-shot}), so an upgraded push of a revisioned run or a few-shot task goes to a new series, and the old
 * series (with any alert open on it) is no longer pushed to. Push warns once per such old series, naming how to keep
 * pushing there ({@code --model-version NAME}, {@code --prompt-version ''}). Read once after the push (the snapshots of
 * the pushed and the old names), only for an lm-eval push that stored a result in a series of the new form.
 */
final class OldLmEvalSeries {
    /** The prompt_version the adapter gives a few-shot task. */
    private static final Pattern SHOTS = Pattern.compile("[0-9]+-shot");

    private OldLmEvalSeries() {
    }

    /** A series by its four names (prompt and environment {@code ""} when none). */
    record Key(String model, String dataset, String prompt, String environment) {
        Key {
            prompt = prompt == null ? "" : prompt;
            environment = environment == null ? "" : environment;
        }

        String label() {
            return dev.benchmon.SeriesLabel.of(model, dataset, prompt, environment);
        }
    }

    /** A series' snapshot as this check needs it: its names and how many runs it holds. */
    record Snapshot(Key series, long runCount) {
    }

    /** The series of the new form this push stored into, each with the runs it stored there. */
    private static Map<Key, Integer> newForm(List<BenchmarkResult> results, IngestReport report) {
        Map<Key, Integer> out = new LinkedHashMap<>();
        for (ResultReport r : report.results()) {
            BenchmarkResult sent = r.created() && r.index() >= 0 && r.index() < results.size() ? results.get(r.index()) : null;
            if (sent != null && (revision(sent.modelVersion()) != null || SHOTS.matcher(nz(sent.promptVersion())).matches())) {
                out.merge(new Key(sent.modelVersion(), sent.datasetVersion(), sent.promptVersion(), sent.environment()), 1,
                        Integer::sum);
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
    private static List<Key> oldForms(Key s) {
        String bare = revision(s.model());
        boolean shots = SHOTS.matcher(s.prompt()).matches();
        List<Key> out = new ArrayList<>();
        if (bare != null) {
            out.add(new Key(bare, s.dataset(), s.prompt(), s.environment()));
        }
        if (shots) {
            out.add(new Key(s.model(), s.dataset(), "", s.environment()));
        }
        if (bare != null && shots) {
            out.add(new Key(bare, s.dataset(), "", s.environment()));
        }
        return out;
    }

    /**
     * The snapshots to read: those of the datasets and environments of the pushed series of the new form (which holds
     * them and their old forms); empty when this is no lm-eval push or it stored nothing of the new form (nothing to read).
     */
    static Optional<Filter> filter(String format, List<BenchmarkResult> results, IngestReport report) {
        if (!"lm-eval".equalsIgnoreCase(format)) {
            return Optional.empty();
        }
        Map<Key, Integer> pushed = newForm(results, report);
        if (pushed.isEmpty()) {
            return Optional.empty();
        }
        // By datasets and environments only (both named by this push, so known): an old model name that names no
        // series would have the read refused as an unknown model.
        return Optional.of(Filter.all()
                .withDatasets(pushed.keySet().stream().map(Key::dataset).distinct().toList())
                .withEnvironments(pushed.keySet().stream().map(Key::environment).distinct().toList()));
    }

    /**
     * One warning per old series: of each series of the new form this push started (it holds only the runs this push
     * stored there), each old form that holds runs, e.g. {@code warning: EleutherAI/pythia-1b@step100000 / hellaswag
     * @local is a new series; earlier benchmon versions stored these results in EleutherAI/pythia-1b / hellaswag @local
     * (its runs and alerts stay there): to keep pushing there, give --model-version EleutherAI/pythia-1b}.
     */
    static List<String> warnings(List<BenchmarkResult> results, IngestReport report, List<Snapshot> snapshots) {
        Map<Key, Long> runCounts = new HashMap<>();
        snapshots.forEach(s -> runCounts.put(s.series(), s.runCount()));
        Set<Key> warned = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        newForm(results, report).forEach((series, stored) -> {
            Long runs = runCounts.get(series);
            if (runs == null || runs > stored) {
                return; // the series existed before this push: its change of form is not news now
            }
            for (Key old : oldForms(series)) {
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
        return rows.stream().map(r -> new Snapshot(new Key(r.modelVersion(), r.datasetVersion(), r.promptVersion(),
                r.environment()), r.runCount())).toList();
    }

    /** The snapshots of a server's {@code GET /api/v1/snapshots} answer ({@code rows}). */
    static List<Snapshot> snapshotsOf(JsonNode answer) {
        List<Snapshot> out = new ArrayList<>();
        for (JsonNode row : answer.path("rows")) {
            out.add(new Snapshot(new Key(row.path("model_version").asText(), row.path("dataset_version").asText(),
                    row.path("prompt_version").isNull() ? "" : row.path("prompt_version").asText(),
                    row.path("environment").isNull() ? "" : row.path("environment").asText()),
                    row.path("run_count").asLong()));
        }
        return out;
    }

    /** {@code filter} as the query of {@code GET /api/v1/snapshots} (JSON). */
    static String snapshotsQuery(Filter f) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("dataset", f.datasets());
        params.put("environment", f.environments());
        return ExportCommand.query(params).substring(1);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
