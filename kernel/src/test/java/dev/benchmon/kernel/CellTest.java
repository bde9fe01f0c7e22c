package dev.benchmon.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CellTest {
    @Test
    void a_line_magic_splits_the_cell_and_keeps_the_code_around_it_in_order() {
        Cell cell = Cell.parse("int a = 1;\n%classpath lib/*.jar \"my dir/x.jar\"\nint b = a;");

        assertThat(cell.parts()).containsExactly(
                new Cell.Code("int a = 1;\n"),
                new Cell.Magic("classpath", List.of("lib/*.jar", "my dir/x.jar"), false, null),
                new Cell.Code("int b = a;\n"));
    }

    @Test
    void a_cell_magic_takes_the_rest_of_the_cell_as_its_body() {
        Cell cell = Cell.parse("%%loadFromPOM\n<dependency/>");

        assertThat(cell.parts()).containsExactly(new Cell.Magic("loadFromPOM", List.of(), true, "<dependency/>"));
    }

    @Test
    void a_percent_inside_java_code_is_not_a_magic() {
        Cell cell = Cell.parse("int r = 7 % 3;\nString s = \"%d\";");

        assertThat(cell.parts()).hasSize(1).first().isInstanceOf(Cell.Code.class);
    }
}
