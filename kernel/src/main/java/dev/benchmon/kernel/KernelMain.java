package dev.benchmon.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the kernelspec starts: {@code java -cp benchmon-kernel.jar dev.benchmon.kernel.KernelMain CONNECTION_FILE}.
 * Jupyter writes the connection file (ports and the signing key) and passes its path.
 */
public final class KernelMain {
    // Held so the level sticks: the base library logs every message at INFO on stderr.
    private static final Logger ROOT_LOG = Logger.getLogger("");

    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp benchmon.jar " + KernelMain.class.getName() + " CONNECTION_FILE"
                    + "  (Jupyter starts this; install the kernel with: benchmon kernel install)");
            System.exit(2);
        }
        ROOT_LOG.setLevel(Level.WARNING);
        for (Handler h : ROOT_LOG.getHandlers()) {
            h.setLevel(Level.WARNING);
        }
        KernelConnectionProperties connection = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection jupyter = new JupyterConnection(connection);
        BenchmonKernel kernel = new BenchmonKernel(classPath());
        kernel.becomeHandlerForConnection(jupyter);
        jupyter.connect();
        jupyter.waitUntilClose();
        // Stops what notebook code left running (the embedded PostgreSQL stops in its shutdown hook).
        System.exit(0);
    }

    /** This JVM's class path: what JShell compiles notebook code against. */
    static List<String> classPath() {
        return Arrays.stream(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .toList();
    }
}
