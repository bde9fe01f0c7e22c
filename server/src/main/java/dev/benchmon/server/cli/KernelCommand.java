package dev.benchmon.server.cli;

import dev.benchmon.kernel.KernelMain;
import dev.benchmon.kernel.KernelSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code benchmon kernel install}: the Jupyter kernel with the toolkit inside, in one command. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.INVALID_OPTION_HELP, ExitCodes.FAILURE_HELP},
        description = "The benchmon Jupyter kernel (Java via JShell, with the toolkit inside).",
        subcommands = {KernelCommand.Install.class})
final class KernelCommand extends CommandGroup {
    /** Where the kernelspec goes: Jupyter's user folder (default) or a prefix. */
    static final class Target {
        @Option(names = "--user", description = "Install for this user, in Jupyter's user data folder (the default).")
        boolean user;

        @Option(names = "--prefix", paramLabel = "DIR",
                description = "Install into DIR/share/jupyter/kernels/NAME, as 'jupyter kernelspec install --prefix DIR'"
                        + " (e.g. a virtualenv's or conda env's prefix).")
        Path prefix;
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Write a Jupyter kernelspec that starts the benchmon kernel: Java cells run in JShell with the toolkit inside.",
                    "display(table) shows an HTML table, display(figure) a Plotly chart that draws offline; %%classpath, %%jars "
                            + "and %%maven add jars as in IJava.",
                    "Then: jupyter lab notebooks/  and pick the kernel 'benchmon (Java)'."})
    static final class Install implements Callable<Integer> {
        @ParentCommand
        KernelCommand kernel;

        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true)
        Target target = new Target();

        @Option(names = "--name", defaultValue = "benchmon", paramLabel = "NAME",
                description = "The kernel's name in Jupyter (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--display-name", paramLabel = "TEXT",
                description = "What Jupyter's launcher shows (default: 'benchmon (Java)'; with --name NAME, 'NAME (benchmon, Java)').")
        String displayName;

        @Override
        public Integer call() throws IOException {
            KernelSpec kernelSpec;
            try {
                kernelSpec = new KernelSpec(name, displayName != null ? displayName
                        : name.equals("benchmon") ? "benchmon (Java)" : name + " (benchmon, Java)");
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage());
            }
            if (ModuleLayer.boot().findModule("jdk.jshell").isEmpty()) {
                throw new CliException(ExitCodes.FAILURE, "this Java (" + System.getProperty("java.home")
                        + ") has no JShell (module jdk.jshell): run benchmon with a JDK 17 or newer, not a JRE");
            }
            Path kernelsDir = target.prefix != null ? KernelSpec.prefixKernelsDir(target.prefix)
                    : KernelSpec.userKernelsDir(kernel.main.env());
            Path jar = runningJar();
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path dir = kernelSpec.install(kernelsDir, jar, java);
            PrintWriter out = spec.commandLine().getOut();
            out.println("installed the Jupyter kernel '" + name + "' in " + dir);
            out.println("start Jupyter on the notebooks with:  jupyter lab notebooks/   (kernel: "
                    + kernelSpec.displayName() + ")");
            if (target.prefix != null) {
                out.println("Jupyter finds it when DIR is its prefix, or with JUPYTER_PATH="
                        + KernelSpec.prefixKernelsDir(target.prefix).getParent());
            }
            out.flush();
            return ExitCodes.OK;
        }

        private static Path runningJar() {
            try {
                Path p = Path.of(KernelMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!Files.isRegularFile(p)) {
                    throw new CliException(ExitCodes.FAILURE, "benchmon runs from " + p + ", not from a jar: "
                            + "install the kernel with the built benchmon.jar (./benchmon kernel install)");
                }
                return p;
            } catch (URISyntaxException e) {
                throw new CliException(ExitCodes.FAILURE, "cannot locate benchmon's jar: " + e.getMessage());
            }
        }
    }
}
