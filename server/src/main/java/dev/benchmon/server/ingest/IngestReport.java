package dev.benchmon.server.ingest;

import java.util.ArrayList;
import java.util.List;

/** The outcome of recording a batch: one {@link ResultReport} per result, in batch order. */
public record IngestReport(List<ResultReport> results) {
    public IngestReport {
        results = List.copyOf(results);
    }

    /** Results stored now. */
    public long created() {
        return results.stream().filter(ResultReport::created).count();
    }

    /** Results whose idempotency key was already stored (re-sent). */
    public long alreadyPresent() {
        return results.size() - created();
    }

    /** Results whose series regressed with them. */
    public long regressions() {
        return results.stream().filter(ResultReport::regressed).count();
    }

    /** Results with a metric that the previous run of the series had and this one lacks. */
    public long missing() {
        return results.stream().filter(ResultReport::missing).count();
    }

    /** This report followed by {@code other}, with other's indexes shifted by this report's size. */
    public IngestReport plus(IngestReport other) {
        List<ResultReport> all = new ArrayList<>(results);
        int offset = results.size();
        for (ResultReport r : other.results) {
            all.add(new ResultReport(r.index() + offset, r.id(), r.created(), r.series(), r.verdict(), r.regressions(),
                    r.changes(), r.late()));
        }
        return new IngestReport(all);
    }
}
