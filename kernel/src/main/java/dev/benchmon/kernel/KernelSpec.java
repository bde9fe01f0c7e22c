package dev.benchmon.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Jupyter kernelspec for the benchmon kernel: a folder {@code kernels/NAME} holding
 * {@code kernel.json} (how to start the kernel) and the kernel jar, as
 * <a href="https://jupyter-client.readthedocs.io/en/stable/kernels.html#kernel-specs">Jupyter's kernel specs</a>
 * describe and {@code jupyter kernelspec install} lays out: {@code --user} in Jupyter's user data
 * folder, {@code --prefix DIR} in {@code DIR/share/jupyter/kernels/NAME}.
 *
 * @param name        the kernel's name in Jupyter (folder name): letters, digits, {@code . _ -}
 * @param displayName what Jupyter's launcher shows
 */
public record KernelSpec(String name, String displayName) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public KernelSpec {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("kernel name '" + name
                    + "' may only use letters, digits, '.', '_' and '-' (Jupyter's rule)");
        }
    }

    /** The folder Jupyter reads user kernels from: $JUPYTER_DATA_DIR, else the platform's default. */
    public static Path userKernelsDir(Map<String, String> env) {
        String dataDir = env.get("JUPYTER_DATA_DIR");
        Path data;
        String home = dev.benchmon.Benchmon.userHome(env).toString(); // $HOME, as Jupyter reads it
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (dataDir != null && !dataDir.isBlank()) {
            data = Path.of(dataDir);
        } else if (os.contains("mac")) {
            data = Path.of(home, "Library", "Jupyter");
        } else if (os.contains("win")) {
            data = Path.of(env.getOrDefault("APPDATA", home), "jupyter");
        } else {
            String xdg = env.get("XDG_DATA_HOME");
            data = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share")).resolve("jupyter");
        }
        return data.resolve("kernels");
    }

    /** {@code PREFIX/share/jupyter/kernels}, as {@code jupyter kernelspec install --prefix PREFIX}. */
    public static Path prefixKernelsDir(Path prefix) {
        return prefix.resolve("share").resolve("jupyter").resolve("kernels");
    }

    /**
     * Writes the kernelspec into {@code kernelsDir/NAME}, replacing an earlier one: copies
     * {@code kernelJar} there (so the kernel keeps working after a rebuild or {@code mvn clean}) and
     * writes {@code kernel.json} starting it with {@code java}.
     *
     * @return the kernelspec folder
     */
    public Path install(Path kernelsDir, Path kernelJar, Path java) throws IOException {
        if (!Files.isRegularFile(kernelJar)) {
            throw new IOException("the kernel jar " + kernelJar + " does not exist");
        }
        Path dir = kernelsDir.resolve(name);
        Files.createDirectories(dir);
        Path jar = dir.resolve("benchmon-kernel.jar");
        Path tmp = dir.resolve("benchmon-kernel.jar.tmp");
        Files.copy(kernelJar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir.resolve("kernel.json"), kernelJson(List.of(java.toString(), "-cp", jar.toString())));
        return dir;
    }

    /** Writes a kernelspec that starts the kernel from an existing class path (for tests and development). */
    public Path installReferencing(Path kernelsDir, String classPath, Path java) throws IOException {
        Path dir = kernelsDir.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kernel.json"), kernelJson(List.of(java.toString(), "-cp", classPath)));
        return dir;
    }

    /** The kernel.json text: {@code javaAndClassPath} then the JVM options, the main class and the connection file. */
    String kernelJson(List<String> javaAndClassPath) {
        List<String> argv = new ArrayList<>(javaAndClassPath);
        argv.add(KernelMain.class.getName());
        argv.add("{connection_file}");
        StringBuilder json = new StringBuilder("{\n  \"argv\": [");
        for (int i = 0; i < argv.size(); i++) {
            json.append(i == 0 ? "" : ", ").append(quote(argv.get(i)));
        }
        json.append("],\n  \"display_name\": ").append(quote(displayName))
                .append(",\n  \"language\": \"java\",\n  \"interrupt_mode\": \"message\",\n")
                .append("  \"metadata\": {\"debugger\": false}\n}\n");
        return json.toString();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
