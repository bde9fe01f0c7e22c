package dev.benchmon;

/**
 * Checks of the arguments a public entry point takes ({@link Benchmon}, {@code Charts}): a refused one is an
 * {@link InvalidArgumentException} naming it ({@code invalid argument: model: must not be null}), the one unchecked
 * {@link BenchmonException} family the README promises, not a bare {@code NullPointerException} from deep inside.
 */
public final class Arguments {
    private Arguments() {
    }

    /**
     * {@code value} itself when it is not {@code null}.
     *
     * @throws InvalidArgumentException naming {@code name} when it is
     */
    public static <T> T required(T value, String name) {
        if (value == null) {
            throw refused(name, "must not be null");
        }
        return value;
    }

    /**
     * A copy of {@code values} when neither it nor any of its elements is {@code null}.
     *
     * @throws InvalidArgumentException naming {@code name} (or {@code name[i]} for the element at {@code i})
     */
    public static <T> java.util.List<T> requiredElements(java.util.Collection<T> values, String name) {
        int i = 0;
        for (T v : required(values, name)) {
            required(v, name + "[" + i++ + "]");
        }
        return java.util.List.copyOf(values);
    }

    /**
     * {@code values} when it holds at least one element (and is not {@code null}).
     *
     * @throws InvalidArgumentException naming {@code name}: {@code is empty; what}, where {@code what} says what to
     *                                  give (an empty list would otherwise read as "all")
     */
    public static <C extends java.util.Collection<?>> C nonEmpty(C values, String name, String what) {
        if (required(values, name).isEmpty()) {
            throw refused(name, "is empty; " + what);
        }
        return values;
    }

    /**
     * {@code file} when it names a file that exists and is not a directory (its reading may still fail).
     *
     * @throws InvalidArgumentException naming {@code name}: {@code no such file: PATH}, as the CLI says it, or
     *                                  {@code PATH is a directory, not a file}
     */
    public static java.nio.file.Path readableFile(java.nio.file.Path file, String name) {
        if (java.nio.file.Files.isDirectory(required(file, name))) {
            throw refused(name, file + " is a directory, not a file");
        }
        if (!java.nio.file.Files.exists(file)) {
            throw refused(name, "no such file: " + file);
        }
        return file;
    }

    /** The rule {@link #fraction} checks, as its refusal states it (followed by {@code , got ...}). */
    public static final String FRACTION = "must be a finite number >= 0 and at most 1, a fraction of the baseline (0.05 means 5%)";

    /**
     * {@code value} when it is a fraction from 0 to 1 ({@code 0.05} means 5%): the one check of a relative threshold,
     * for the Java API ({@code detectRegressions(model, threshold)}) and the API's {@code ?threshold=} alike.
     *
     * @throws InvalidArgumentException naming {@code name} for a negative number, NaN, or more than 1 (a likely slip
     *                                  for a percentage: {@code 5} would be 500%, which the refusal says)
     */
    public static double fraction(double value, String name) {
        if (!(value >= 0 && value <= 1)) {
            // The percentage only for what may be one typed as a fraction's number: 1e300 is no slip for 1e302%.
            throw refused(name, FRACTION + ", got " + value + (value > 1 && value <= 100 ? " (" + Math.round(100 * value) + "%)" : ""));
        }
        return value;
    }

    /** The refusal of argument {@code name}: {@code invalid argument: name: problem}. */
    public static InvalidArgumentException refused(String name, String problem) {
        return new InvalidArgumentException(ValidationException.Problem.of(name, problem));
    }
}
