package dev.benchmon.query;

import dev.benchmon.notebook.TableText;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.List;

/**
 * A Tablesaw {@link Table} whose {@code toString()} reads well where it is printed as a value
 * (JShell's {@code t ==> ...}, string concatenation, logs): {@link TableText} on a new line, within
 * 120 characters, numbers rounded, head and tail rows. Everything else is Tablesaw's own;
 * {@code print()} and {@code printAll()} are unchanged. The toolkit's queries return these.
 */
public final class ReadableTable extends Table {
    private ReadableTable(String name, List<Column<?>> columns) {
        super(name, columns);
    }

    /** The columns of {@code table} (not copied) under its name, readable when printed. */
    public static Table of(Table table) {
        return table instanceof ReadableTable ? table : new ReadableTable(table.name(), table.columns());
    }

    @Override
    public String toString() {
        return "\n" + TableText.of(this).stripTrailing();
    }
}
