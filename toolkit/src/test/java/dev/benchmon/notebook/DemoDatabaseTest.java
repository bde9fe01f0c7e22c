package dev.benchmon.notebook;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A notebook's demo database, as the notebooks use it: a database of its own in a new temporary folder, which its last
 * cell deletes (notebooks 02 to 04 wrote their demo data into the user's database).
 */
class DemoDatabaseTest {
    @Test
    void a_demo_database_lives_in_a_temporary_folder_of_its_own_which_delete_removes() {
        DemoDatabase demo = DemoDatabase.create("unit-test");
        Path folder = demo.folder();
        assertThat(folder.getFileName().toString()).startsWith("benchmon-unit-test");
        assertThat(folder.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
        assertThat(demo.benchmon().toString()).contains("embedded PostgreSQL", folder.toString());

        demo.benchmon().record(BenchmarkResult.builder("demo-model", "demo-set").metric("f1", 0.5).build());
        assertThat(demo.benchmon().models()).containsExactly("demo-model");

        assertThat(demo.delete()).isEqualTo("deleted " + folder);
        assertThat(folder).doesNotExist();
    }

    @Test
    void a_name_that_cannot_name_a_folder_is_refused_naming_the_argument() {
        assertThatThrownBy(() -> DemoDatabase.create("../home")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid argument: name: letters, digits, '-' or '_' naming the demo's folder, got '../home'");
        assertThatThrownBy(() -> DemoDatabase.create(null)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid argument: name: ");
    }
}
