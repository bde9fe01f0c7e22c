package dev.benchmon.server.cli;

import dev.benchmon.server.api.errors.ErrorDetail;

import java.util.List;
import java.util.Map;

/**
 * The options of a command that passes them on as an API request's fields or query parameters ({@code benchmon alerts}):
 * a refusal of the request, by a server or by the same handlers run on a database, is reworded to name the option the
 * user typed ({@code --reason}, {@code --as}), never the API's field ({@code text}, {@code actor}) or a "query parameter".
 *
 * @param options option by field, e.g. {@code "actor" -> "--as"}
 */
record OptionNames(Map<String, String> options) {
    OptionNames {
        options = Map.copyOf(options);
    }

    /**
     * The problems in the command line's words: {@code invalid --until: must be in the future, ...}, or a count and one
     * line per problem; {@code null} when no problem is about an option (an unknown alert or run is said as it was).
     */
    String refusal(List<ErrorDetail> problems) {
        if (problems.stream().noneMatch(this::aboutAnOption)) {
            return null;
        }
        if (problems.size() == 1) {
            return CliException.invalidOption(name(problems.get(0).field()), problems.get(0).message());
        }
        StringBuilder sb = new StringBuilder(problems.size() + " problems with the options:");
        for (ErrorDetail p : problems) {
            sb.append("\n  ").append(prefix(p)).append(p.message());
        }
        return sb.toString();
    }

    /**
     * A refusal by the toolkit (a command that reads the database itself) in the command line's words, as
     * {@link #refusal} says a server's: a {@link CliException} (exit 2), or {@code e} itself when no problem is about
     * an option.
     */
    RuntimeException said(dev.benchmon.ValidationException e) {
        String reworded = refusal(e.problems().stream().map(ErrorDetail::of).toList());
        return reworded == null ? e : new CliException(ExitCodes.INVALID_INPUT, reworded);
    }

    /**
     * Whether {@code p} is about one of the options, and is not already worded for the command line: a refusal that
     * names its field itself ({@code b: no model or result is named 'x' ...}, an unknown side of a comparison) is
     * said as it is, not as {@code invalid B: b: ...}.
     */
    private boolean aboutAnOption(ErrorDetail p) {
        return p.field() != null && options.containsKey(p.field())
                && (p.message() == null || !p.message().startsWith(p.field() + ": "));
    }

    /**
     * A problem's line prefix among several: the option that gave its field ({@code --confidence: }), nothing for a
     * problem that names its own field ({@code b: no model or result is named 'x'}, not {@code B: b: ...}) or none.
     */
    private String prefix(ErrorDetail p) {
        if (p.field() == null || (p.message() != null && p.message().startsWith(p.field() + ": "))) {
            return "";
        }
        return name(p.field()) + ": ";
    }

    private String name(String field) {
        return options.getOrDefault(field, field);
    }
}
