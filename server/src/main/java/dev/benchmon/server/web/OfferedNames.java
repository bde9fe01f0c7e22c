package dev.benchmon.server.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names a filter bar lists outright: all of them up to {@value #LISTED}, else the chosen ones and
 * the first {@value #LISTED}; the rest are found by type-ahead ({@code GET /api/v1/names}). A project
 * with 5,000 models rendered 558 KB of checkboxes on every page.
 */
final class OfferedNames {
    /** Names listed without typing. */
    static final int LISTED = 100;

    private OfferedNames() {
    }

    /** The chosen names first (in their order), then the others up to {@value #LISTED} in all. */
    static List<String> of(List<String> all, List<String> chosen) {
        if (all.size() <= LISTED) {
            return all;
        }
        Set<String> out = new LinkedHashSet<>(chosen);
        for (String name : all) {
            if (out.size() >= Math.max(LISTED, chosen.size())) {
                break;
            }
            out.add(name);
        }
        return new ArrayList<>(out);
    }

    /** {@code true} when some names are not listed and need the type-ahead. */
    static boolean needsTypeahead(List<String> all) {
        return all.size() > LISTED;
    }
}
