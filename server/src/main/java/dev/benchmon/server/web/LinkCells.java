package dev.benchmon.server.web;

import dev.benchmon.alert.Links;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Every link the dashboard's tables show, made in one place so that each kind of cell links the same way on
 * every tab (Current Snapshot, Regressions, Alerts, series and run pages), and rendered by one macro
 * ({@code linked} in {@code templates/links.peb}, HTML-escaped by Pebble's autoescaping):
 * <ul>
 *   <li>a series label links to its series page ({@code /series/ID});</li>
 *   <li>a run (a log row, {@code transaction_id}) links to its run page ({@code /runs/ID});</li>
 *   <li>a commit links to the code host ({@code --repo-url} / {@code BENCHMON_REPO_URL}), a commit range to its
 *       compare view;</li>
 *   <li>a CI run id links to the CI ({@code --ci-url}, a {@code {run_id}} template).</li>
 * </ul>
 * Without a template (or an unknown series) the cell is plain text. The links to the dashboard's own pages (a series, a
 * run, an alert) carry the filters in force as the tab links do ({@link View#carried}): the range chosen, a custom
 * range's times, environments and the rest, so that the tabs of the page a link leads to keep them.
 */
final class LinkCells {
    /** Text shown in a cell, where it links ({@code ""} for none) and its tooltip ({@code ""} for none). */
    record Link(String text, String href, String title) {
        Link {
            text = text == null ? "" : text;
            href = href == null ? "" : href;
            title = title == null ? "" : title;
        }
    }

    private final Links links;
    private final Supplier<Map<String, Integer>> seriesIds;
    private final Supplier<UrlState> carried;
    private Map<String, Integer> ids;

    /**
     * @param seriesIds every series id by its label, read at most once per page (only when a cell needs it)
     * @param carried   the parameters that links to the dashboard's own pages carry, read when a link is made
     */
    LinkCells(Links links, Supplier<Map<String, Integer>> seriesIds, Supplier<UrlState> carried) {
        this.links = links == null ? Links.none() : links;
        this.seriesIds = seriesIds;
        this.carried = carried;
    }

    /**
     * The links of this server (its {@code --repo-url} and {@code --ci-url}, and its database's series) on the page of
     * {@code view}, whose filters in force its links to series, runs and alerts carry.
     */
    static LinkCells of(dev.benchmon.server.ServerContext context, View view) {
        return new LinkCells(context.alerting().links(),
                () -> new dev.benchmon.alert.RunRecords(context.benchmon().readJdbi()).seriesIds(), view::carried);
    }

    /** {@code path} (a page of this dashboard) with the filters in force. */
    private String own(String path) {
        return carried.get().href(path);
    }

    /** The page of alert {@code id}, with the filters in force. */
    String alert(long id) {
        return own(AlertPages.href(id));
    }

    /** The series label, linking to its series page. */
    Link series(String label, int seriesId) {
        return new Link(label, own("/series/" + seriesId), "Series page: every metric, alerts, change points, annotations, runs");
    }

    /** The series label, linking to its series page when a series has that label. */
    Link series(String label) {
        if (ids == null) {
            ids = seriesIds.get();
        }
        Integer id = ids.get(label);
        return id == null ? new Link(label, "", "") : series(label, id);
    }

    /** {@code text} linking to the run page of log row {@code transactionId}. */
    Link run(long transactionId, String text) {
        return new Link(text, own("/runs/" + transactionId), "Run page: all metrics against the baseline, context, annotations");
    }

    /** The commit as shown for reading ({@link Formats#shortSha}), the full sha as tooltip, linking to the commit when a repository is set. */
    Link commit(String sha) {
        return new Link(Formats.shortSha(sha), links.commit(sha), sha);
    }

    /**
     * An alert's commit range {@code from..to} as shown for reading ({@link dev.benchmon.detect.CommitRange#shortened}:
     * each commit's first 12 characters, {@code id ID} for a run without one), the full range as tooltip, linking to
     * its compare view when a repository is set: two full SHAs would push the table's other columns off-screen.
     */
    Link commits(dev.benchmon.alert.Alert alert) {
        String range = alert.commitRange();
        return new Link(dev.benchmon.detect.CommitRange.shortened(range), alert.compareUrl(links), range);
    }

    /** The CI run id, linking to the CI run when a CI template is set. */
    Link ciRun(String runId) {
        return new Link(runId, links.run(runId), runId == null || runId.isEmpty() ? "" : "CI run");
    }
}
