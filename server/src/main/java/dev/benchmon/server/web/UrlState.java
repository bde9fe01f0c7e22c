package dev.benchmon.server.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard's query string: every filter and option lives here, so a view can be bookmarked,
 * and every link changes one parameter while keeping the others.
 */
final class UrlState {
    private final Map<String, List<String>> params;

    private UrlState(Map<String, List<String>> params) {
        this.params = params;
    }

    /** From a request's query parameters; blank values are dropped. */
    static UrlState of(Map<String, List<String>> query) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        query.forEach((key, values) -> {
            List<String> kept = values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
            if (!kept.isEmpty()) {
                copy.put(key, kept);
            }
        });
        return new UrlState(copy);
    }

    /** The first value of {@code key}, or {@code null}. */
    String first(String key) {
        List<String> values = params.get(key);
        return values == null ? null : values.get(0);
    }

    /** Every value of {@code key} (empty when absent). */
    List<String> all(String key) {
        return params.getOrDefault(key, List.of());
    }

    boolean has(String key) {
        return params.containsKey(key);
    }

    /** This state with {@code key} set to {@code values} (none: removed). */
    UrlState with(String key, String... values) {
        Map<String, List<String>> copy = new LinkedHashMap<>(params);
        List<String> kept = Arrays.stream(values).filter(v -> v != null && !v.isBlank()).toList();
        if (kept.isEmpty()) {
            copy.remove(key);
        } else {
            copy.put(key, kept);
        }
        return new UrlState(copy);
    }

    /**
     * This state without each of {@code keys} given more than once, each named in {@code problems} in the API's words
     * ("range: give it once, not 2 times"). A repeat is left at its default rather than read as its first value: the
     * page would otherwise show a view the user may not have meant, without a word.
     */
    UrlState onceEach(Set<String> keys, List<String> problems) {
        Map<String, List<String>> copy = new LinkedHashMap<>(params);
        copy.entrySet().removeIf(e -> {
            if (keys.contains(e.getKey()) && e.getValue().size() > 1) {
                problems.add(e.getKey() + ": give it once, not " + e.getValue().size() + " times");
                return true;
            }
            return false;
        });
        return new UrlState(copy);
    }

    /** This state without the given keys. */
    UrlState without(String... keys) {
        Map<String, List<String>> copy = new LinkedHashMap<>(params);
        for (String k : keys) {
            copy.remove(k);
        }
        return new UrlState(copy);
    }

    /** This state with only the given keys. */
    UrlState only(Set<String> keys) {
        Map<String, List<String>> copy = new LinkedHashMap<>(params);
        copy.keySet().retainAll(keys);
        return new UrlState(copy);
    }

    /** {@code ?a=1&b=2}, or the empty string when nothing is set. */
    String query() {
        StringBuilder sb = new StringBuilder();
        params.forEach((key, values) -> {
            for (String v : values) {
                sb.append(sb.length() == 0 ? '?' : '&').append(encode(key)).append('=').append(encode(v));
            }
        });
        return sb.toString();
    }

    /** {@code path} with this query string. */
    String href(String path) {
        return path + query();
    }

    /** Parameters other than {@code keys}, as (name, value) pairs: hidden fields that carry them through a form. */
    List<Map.Entry<String, String>> pairsExcept(Set<String> keys) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        params.forEach((key, values) -> {
            if (!keys.contains(key)) {
                values.forEach(v -> out.add(Map.entry(key, v)));
            }
        });
        return out;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
