package dev.benchmon.notebook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;

/**
 * Plotly.js from the {@code org.webjars.npm:plotly.js-dist} webjar on the class path, so charts
 * draw without a network. The webjar holds only the unminified bundle (about 11 MB); notebooks
 * receive it gzip-compressed and base64-encoded (about 3 MB) and unpack it in the browser.
 */
final class PlotlyJs {
    private static final String WEBJAR = "META-INF/resources/webjars/plotly.js-dist/";
    private static final String POM = "META-INF/maven/org.webjars.npm/plotly.js-dist/pom.properties";
    private static final String VERSION = readVersion();
    private static volatile String gzipBase64;

    private PlotlyJs() {
    }

    /** The Plotly.js version on the class path, e.g. {@code 2.35.3}. */
    static String version() {
        return VERSION;
    }

    private static String readVersion() {
        Properties p = new Properties();
        try (InputStream in = resource(POM)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + POM + ": " + e.getMessage(), e);
        }
        return p.getProperty("version");
    }

    /** Where plotly.js sits on the class path. */
    static String resourcePath() {
        return WEBJAR + VERSION + "/plotly.js";
    }

    /** The plotly.js source, as shipped. */
    static byte[] source() {
        String path = resourcePath();
        try (InputStream in = resource(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The source gzip-compressed and base64-encoded (computed once per JVM). */
    static String gzipBase64() {
        String cached = gzipBase64;
        if (cached == null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 << 20);
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(source());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cached = Base64.getEncoder().encodeToString(bytes.toByteArray());
            gzipBase64 = cached;
        }
        return cached;
    }

    private static InputStream resource(String path) {
        InputStream in = PlotlyJs.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is not on the class path: the Plotly webjar "
                    + "(org.webjars.npm:plotly.js-dist) is missing; use the toolkit's -all jar");
        }
        return in;
    }
}
