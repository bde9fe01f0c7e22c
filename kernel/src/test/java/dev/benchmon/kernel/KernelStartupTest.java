package dev.benchmon.kernel;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a kernel session starts with: the types docs/ALERTS.md's toolkit lines use resolve without an import. */
class KernelStartupTest {
    @Test
    void the_alert_types_the_alerts_doc_uses_need_no_import() throws Exception {
        BenchmonKernel kernel = new BenchmonKernel(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        try {
            kernel.eval("var filter = AlertFilter.states(AlertState.OPEN);\nAlertState expected = AlertState.EXPECTED;");
            var shown = kernel.eval("filter.states() + \" \" + expected");

            assertThat(shown.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN).toString())
                    .contains("[OPEN] EXPECTED");
        } finally {
            kernel.onShutdown(false);
        }
    }

    @Test
    void the_comparison_types_the_readme_uses_need_no_import() throws Exception {
        BenchmonKernel kernel = new BenchmonKernel(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        try {
            var shown = kernel.eval("CompareOptions.defaults().withReference(\"m\").reference() + \" \" + RunComparison.class.getSimpleName()");

            assertThat(shown.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN).toString())
                    .contains("m RunComparison");
        } finally {
            kernel.onShutdown(false);
        }
    }
}
