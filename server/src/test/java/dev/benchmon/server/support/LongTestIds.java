package dev.benchmon.server.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A pytest-benchmark report whose first test id is longer than a name may be, as pytest builds ids from parameters. */
public final class LongTestIds {
    /** The long test id ({@code fullname}): 262 characters. */
    public static final String ID = "tests/test_p.py::test_parse[" + "a".repeat(233) + "]";

    private LongTestIds() {
    }

    /** The report of project {@code project}: the long id, then a short one with non-ASCII parameters. */
    public static String report(String project) {
        String benchmark = "{\"group\":null,\"name\":\"test_parse\",\"fullname\":\"%s\",\"params\":{},"
                + "\"stats\":{\"min\":0.001,\"max\":0.002,\"mean\":0.0015,\"stddev\":0.0001,\"rounds\":10,"
                + "\"median\":0.0015,\"iterations\":1,\"ops\":666.0}}";
        return "{\"machine_info\":{\"node\":\"ci\"},\"commit_info\":{\"project\":\"" + project + "\",\"id\":\"abc\"},"
                + "\"datetime\":\"2026-11-20T10:00:00.000000\",\"version\":\"4.0.0\",\"benchmarks\":["
                + String.format(benchmark, ID) + "," + String.format(benchmark, "tests/test_p.py::test_parse[日本語-🚀-ü]")
                + "]}";
    }

    /** The name {@link #ID} is stored as, by the documented rule (docs/INPUT.md): 180 characters, '~', 12 hex digits. */
    public static String shortened() throws NoSuchAlgorithmException {
        return ID.substring(0, 180) + "~" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(ID.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
    }
}
