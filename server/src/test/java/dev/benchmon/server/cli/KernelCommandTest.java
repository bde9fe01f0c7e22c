package dev.benchmon.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code benchmon kernel install}'s refusals; the install itself is covered by the kernel module's tests. */
class KernelCommandTest {
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void a_kernel_name_jupyter_would_reject_is_invalid_input(@TempDir Path prefix) {
        Run run = run("kernel", "install", "--prefix", prefix.toString(), "--name", "my kernel");

        assertThat(run.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("kernel name 'my kernel' may only use letters, digits");
        assertThat(prefix).isEmptyDirectory();
    }

    @Test
    void user_and_prefix_together_are_refused(@TempDir Path prefix) {
        Run run = run("kernel", "install", "--user", "--prefix", prefix.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("mutually exclusive");
    }

    @Test
    void kernel_alone_is_a_usage_error_naming_its_commands() {
        Run run = run("kernel");

        assertThat(run.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("needs a command: one of install");
    }
}
