package dev.benchmon.query;

import dev.benchmon.notebook.TableText;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.selection.Selection;
import tech.tablesaw.sorting.Sort;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A Tablesaw {@link Table} whose {@code toString()} reads well where it is printed as a value
 * (JShell's {@code t ==> ...}, string concatenation, logs): {@link TableText} on a new line, within
 * 120 characters, numbers rounded, head and tail rows. Everything else is Tablesaw's own;
 * {@code print()} and {@code printAll()} are unchanged. The toolkit's queries return these.
 *
 * <p>The calls a notebook chains on a query's table (filtering, sorting, selecting rows and columns, counting)
 * return a readable table too, so {@code bm.history(f).where(...).sortDescendingOn("run_at").first(5)} prints as
 * the query did (Tablesaw's own result, wrapped without a copy). Calls that
 * return a table through another object ({@code summarize(...).by(...)}, {@code joinOn(...).inner(...)}) print as
 * Tablesaw prints; {@code ReadableTable.of(t)} makes any table readable.
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
    public Table where(Selection selection) {
        return of(super.where(selection));
    }

    @Override
    public Table where(Function<Table, Selection> selection) {
        return of(super.where(selection));
    }

    @Override
    public Table dropWhere(Selection selection) {
        return of(super.dropWhere(selection));
    }

    @Override
    public Table dropWhere(Function<Table, Selection> selection) {
        return of(super.dropWhere(selection));
    }

    @Override
    public Table sortOn(String... columnNames) {
        return of(super.sortOn(columnNames));
    }

    @Override
    public Table sortOn(int... columnIndexes) {
        return of(super.sortOn(columnIndexes));
    }

    @Override
    public Table sortOn(Sort key) {
        return of(super.sortOn(key));
    }

    @Override
    public Table sortOn(Comparator<Row> rowComparator) {
        return of(super.sortOn(rowComparator));
    }

    @Override
    public Table sortAscendingOn(String... columnNames) {
        return of(super.sortAscendingOn(columnNames));
    }

    @Override
    public Table sortDescendingOn(String... columnNames) {
        return of(super.sortDescendingOn(columnNames));
    }

    @Override
    public Table first(int rows) {
        return of(super.first(rows));
    }

    @Override
    public Table last(int rows) {
        return of(super.last(rows));
    }

    @Override
    public Table rows(int... rowNumbers) {
        return of(super.rows(rowNumbers));
    }

    @Override
    public Table dropRows(int... rowNumbers) {
        return of(super.dropRows(rowNumbers));
    }

    @Override
    public Table inRange(int rowCount) {
        return of(super.inRange(rowCount));
    }

    @Override
    public Table inRange(int rowStart, int rowEnd) {
        return of(super.inRange(rowStart, rowEnd));
    }

    @Override
    public Table dropRange(int rowCount) {
        return of(super.dropRange(rowCount));
    }

    @Override
    public Table dropRange(int rowStart, int rowEnd) {
        return of(super.dropRange(rowStart, rowEnd));
    }

    @Override
    public Table sampleN(int rows) {
        return of(super.sampleN(rows));
    }

    @Override
    public Table sampleX(double proportion) {
        return of(super.sampleX(proportion));
    }

    @Override
    public Table dropDuplicateRows() {
        return of(super.dropDuplicateRows());
    }

    @Override
    public Table dropRowsWithMissingValues() {
        return of(super.dropRowsWithMissingValues());
    }

    @Override
    public Table selectColumns(String... columnNames) {
        return of(super.selectColumns(columnNames));
    }

    @Override
    public Table selectColumns(int... columnIndexes) {
        return of(super.selectColumns(columnIndexes));
    }

    @Override
    public Table selectColumns(Column<?>... columns) {
        return of(super.selectColumns(columns));
    }

    @Override
    public Table rejectColumns(String... columnNames) {
        return of(super.rejectColumns(columnNames));
    }

    @Override
    public Table rejectColumns(int... columnIndexes) {
        return of(super.rejectColumns(columnIndexes));
    }

    @Override
    public Table rejectColumns(Column<?>... columns) {
        return of(super.rejectColumns(columns));
    }

    @Override
    public Table countBy(String... categoricalColumnNames) {
        return of(super.countBy(categoricalColumnNames));
    }

    @Override
    public Table copy() {
        return of(super.copy());
    }

    @Override
    public String toString() {
        return "\n" + TableText.of(this).stripTrailing();
    }
}
