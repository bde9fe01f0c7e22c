package dev.benchmon.notebook;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TableTextTest {
    @Test
    void numbers_are_rounded_to_four_significant_digits() {
        Table t = Table.create("x", DoubleColumn.create("f1", 0.8892599999999999, 412.34567));

        assertThat(TableText.of(t)).contains("0.8893", "412.3").doesNotContain("0.88925");
    }

    @Test
    void a_wide_table_stays_within_the_width_and_names_the_columns_left_out() {
        Table t = Table.create("wide");
        IntStream.range(0, 30).forEach(i -> t.addColumns(StringColumn.create("column_number_" + i, "value " + i)));

        String text = TableText.of(t, 80, 10, 5);

        assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        assertThat(text).contains("more columns:", "column_number_29");
    }

    @Test
    void a_long_table_shows_its_first_and_last_rows() {
        Table t = Table.create("long", IntColumn.create("i", IntStream.range(0, 100).toArray()));

        String text = TableText.of(t, 120, 3, 2);

        assertThat(text).contains("long  (100 rows x 1 column)", "... 95 more rows ...");
        assertThat(text.lines().map(String::strip).toList()).contains("0", "2", "98", "99").doesNotContain("50");
    }
}
