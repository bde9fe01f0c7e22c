package dev.benchmon.server.cli;

import dev.benchmon.Filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A read of the server named by a filter's models, datasets and environments, as GETs whose queries stay short enough
 * for any server: a push of many long names (90 tasks of 100 characters) would otherwise ask with a URL longer than
 * servers take (benchmon's 8 KiB, a proxy's), and be refused after its results were stored.
 */
final class BoundedQueries {
    /**
     * The most characters a read's query holds: half of the 8 KiB of URL benchmon's server and common proxies take,
     * leaving room for the server's base path. A query of a single model, dataset and environment may hold more (names
     * of 200 characters, percent-encoded): it is sent as it is, as no split makes it shorter.
     */
    static final int QUERY_CHARS = 4096;

    private BoundedQueries() {
    }

    /**
     * {@code filter} split into filters whose {@code query} holds at most {@link #QUERY_CHARS} characters, which
     * together select what it selects: the list of models, datasets or environments whose names take the most of the
     * query is halved, each half asked apart, until every part fits (or names one of each, which no split shortens).
     * The parts select apart (a list is cut in two), so no row is in two parts' answers.
     */
    static List<Filter> split(Filter filter, Function<Filter, String> query) {
        if (query.apply(filter).length() <= QUERY_CHARS) {
            return List.of(filter);
        }
        List<Filter> halves = halves(filter);
        if (halves.isEmpty()) {
            return List.of(filter);
        }
        List<Filter> out = new ArrayList<>();
        halves.forEach(half -> out.addAll(split(half, query)));
        return out;
    }

    /**
     * {@code filter} as two filters that together select what it selects, apart: the list of models, datasets or
     * environments of more than one name whose names take the most of a query cut in two. None when each list names
     * one (or none): no such cut narrows it.
     */
    static List<Filter> halves(Filter filter) {
        List<List<String>> lists = List.of(filter.models(), filter.datasets(), filter.environments());
        int longest = -1;
        int longestChars = 0;
        for (int i = 0; i < lists.size(); i++) {
            int chars = ExportCommand.query(Map.of("n", lists.get(i))).length();
            if (lists.get(i).size() > 1 && chars > longestChars) {
                longest = i;
                longestChars = chars;
            }
        }
        if (longest < 0) {
            return List.of();
        }
        List<String> names = lists.get(longest);
        List<Filter> out = new ArrayList<>();
        for (List<String> half : List.of(names.subList(0, names.size() / 2), names.subList(names.size() / 2, names.size()))) {
            out.add(switch (longest) {
                case 0 -> filter.withModels(half);
                case 1 -> filter.withDatasets(half);
                default -> filter.withEnvironments(half);
            });
        }
        return out;
    }
}
