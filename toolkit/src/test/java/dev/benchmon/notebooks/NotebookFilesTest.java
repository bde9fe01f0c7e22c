package dev.benchmon.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.benchmon.support.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notebooks as files: nbformat 4 with the benchmon kernelspec, committed without outputs,
 * self-explaining. The kernel module's {@code NotebooksInJupyterIT} executes them in Jupyter.
 */
class NotebookFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(RepositoryFiles.resolve("notebooks"))) {
            return files.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    static String source(JsonNode cell) {
        JsonNode source = cell.path("source");
        if (source.isArray()) {
            StringBuilder sb = new StringBuilder();
            source.forEach(line -> sb.append(line.asText()));
            return sb.toString();
        }
        return source.asText();
    }

    @Test
    void theFirstThreeNotebooksExist() throws IOException {
        assertThat(notebooks()).extracting(p -> p.getFileName().toString())
                .contains("01_quickstart.ipynb", "02_trends_and_regressions.ipynb", "03_model_comparison.ipynb");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void isNbformat4WithTheBenchmonKernelspec(Path notebook) throws IOException {
        JsonNode nb = JSON.readTree(notebook.toFile());

        assertThat(nb.path("nbformat").asInt()).isEqualTo(4);
        assertThat(nb.path("nbformat_minor").isInt()).isTrue();
        assertThat(JSON.convertValue(nb.path("metadata").path("kernelspec"), Map.class))
                .isEqualTo(Map.of("name", "benchmon", "display_name", "benchmon (Java)", "language", "java"));
        assertThat(nb.path("metadata").path("language_info").path("name").asText()).isEqualTo("java");
        assertThat(nb.path("cells").isArray()).isTrue();
        Set<String> ids = new HashSet<>();
        for (JsonNode cell : nb.path("cells")) {
            assertThat(cell.path("cell_type").asText()).isIn("code", "markdown", "raw");
            assertThat(cell.path("source").isArray() || cell.path("source").isTextual()).isTrue();
            assertThat(cell.path("metadata").isObject()).isTrue();
            // nbformat 4.5: every cell has a unique id of 1-64 letters, digits, '-' or '_'.
            assertThat(cell.path("id").asText()).matches("[A-Za-z0-9_-]{1,64}");
            assertThat(ids.add(cell.path("id").asText())).as("unique id " + cell.path("id")).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void isCommittedWithoutOutputs(Path notebook) throws IOException {
        for (JsonNode cell : JSON.readTree(notebook.toFile()).path("cells")) {
            if (cell.path("cell_type").asText().equals("code")) {
                assertThat(cell.path("outputs").isArray() && cell.path("outputs").isEmpty())
                        .as("outputs of cell " + cell.path("id")).isTrue();
                assertThat(cell.path("execution_count").isNull()).as("execution_count of cell " + cell.path("id")).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void saysAtTheTopHowToInstallTheKernelAndStartJupyter(Path notebook) throws IOException {
        JsonNode first = JSON.readTree(notebook.toFile()).path("cells").get(0);

        assertThat(first.path("cell_type").asText()).isEqualTo("markdown");
        assertThat(source(first)).contains("./benchmon kernel install", "jupyter lab notebooks/", "IJava", "JJava",
                "./mvnw -q -B -pl toolkit package -DskipTests");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void loadsTheToolkitJarTheBuildMakesBeforeAnyOtherCode(Path notebook) throws IOException {
        JsonNode firstCode = null;
        for (JsonNode cell : JSON.readTree(notebook.toFile()).path("cells")) {
            if (cell.path("cell_type").asText().equals("code")) {
                firstCode = cell;
                break;
            }
        }

        assertThat(firstCode).isNotNull();
        String jar = "../toolkit/target/benchmon-toolkit-" + System.getProperty("benchmon.version") + "-all.jar";
        // %classpath: IJava 1.3, JJava and the benchmon kernel all have it (JJava deprecates %jars).
        assertThat(source(firstCode).strip()).isEqualTo("%classpath " + jar);
    }
}
