package dev.benchmon.query;

import dev.benchmon.Benchmon;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

import java.util.concurrent.atomic.AtomicInteger;

/** A catalog over a database's pool through a Jdbi of its own that counts the statements it runs. */
final class CountingCatalog {
    private CountingCatalog() {
    }

    /** A catalog of {@code bm}'s database adding one to {@code statements} for each statement it runs. */
    static Catalog of(Benchmon bm, AtomicInteger statements) {
        Jdbi counted = Jdbi.create(() -> bm.database().dataSource().getConnection()).setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext ctx) {
                statements.incrementAndGet();
            }
        });
        return new Catalog(counted);
    }
}
