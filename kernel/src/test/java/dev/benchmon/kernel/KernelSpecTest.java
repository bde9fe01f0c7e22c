package dev.benchmon.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelSpecTest {
    @Test
    void a_prefix_install_goes_where_jupyter_kernelspec_install_prefix_puts_it(@TempDir Path tmp) throws Exception {
        Path jar = Files.writeString(tmp.resolve("benchmon.jar"), "not really a jar");

        Path dir = new KernelSpec("benchmon", "benchmon (Java)")
                .install(KernelSpec.prefixKernelsDir(tmp.resolve("env")), jar, Path.of("/opt/jdk/bin/java"));

        assertThat(dir).isEqualTo(tmp.resolve("env/share/jupyter/kernels/benchmon"));
        assertThat(dir.resolve("benchmon-kernel.jar")).hasContent("not really a jar");
        JsonNode spec = new ObjectMapper().readTree(dir.resolve("kernel.json").toFile());
        assertThat(new ObjectMapper().convertValue(spec.path("argv"), List.class)).containsExactly(
                "/opt/jdk/bin/java", "-cp", dir.resolve("benchmon-kernel.jar").toString(),
                KernelMain.class.getName(), "{connection_file}");
        assertThat(spec.path("display_name").asText()).isEqualTo("benchmon (Java)");
        assertThat(spec.path("language").asText()).isEqualTo("java");
    }

    @Test
    void the_user_install_honours_jupyter_data_dir(@TempDir Path tmp) {
        assertThat(KernelSpec.userKernelsDir(Map.of("JUPYTER_DATA_DIR", tmp.toString()))).isEqualTo(tmp.resolve("kernels"));
    }

    @Test
    void the_user_install_follows_home_as_jupyter_does(@TempDir Path tmp) {
        // Java's user.home is the account's folder, whatever HOME says; Jupyter reads HOME.
        assertThat(KernelSpec.userKernelsDir(Map.of("HOME", tmp.toString())))
                .isEqualTo(tmp.resolve(".local").resolve("share").resolve("jupyter").resolve("kernels"));
    }

    @Test
    void a_name_jupyter_would_reject_is_refused() {
        assertThatThrownBy(() -> new KernelSpec("my kernel", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("letters, digits");
    }

    @Test
    void quotes_in_paths_stay_valid_json(@TempDir Path tmp) throws Exception {
        Path dir = new KernelSpec("k", "a \"quoted\" name").installReferencing(tmp, "C:\\lib\\x.jar", Path.of("java"));

        JsonNode spec = new ObjectMapper().readTree(dir.resolve("kernel.json").toFile());
        assertThat(spec.path("display_name").asText()).isEqualTo("a \"quoted\" name");
        assertThat(spec.path("argv").get(2).asText()).isEqualTo("C:\\lib\\x.jar");
    }
}
