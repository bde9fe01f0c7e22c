package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NameSearch#matching} ignores case by Unicode's default case mapping, not the database's locale: on a database
 * created with locale {@code C} (whose own {@code lower()} maps only ASCII) a non-ASCII name is found by its other case.
 */
class NameSearchCaseTest {
    @AutoClose
    private final Benchmon bm = TestDatabases.freshCreatedWith("TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");

    @Test
    void a_non_ascii_name_is_found_by_its_other_case_on_a_database_of_locale_c() {
        bm.recordAll(List.of(BenchmarkResult.builder("ÄÖ-model", "Ünïcode-set").metric("Größe_acc", 0.5).build(),
                BenchmarkResult.builder("medgemma-v1", "d").metric("f1", 0.5).build()));
        NameSearch names = bm.names();

        assertThat(names.matching(NameSearch.Kind.MODEL, "äö", 10)).containsExactly("ÄÖ-model");
        assertThat(names.matching(NameSearch.Kind.MODEL, "ÄÖ-MODEL", 10)).containsExactly("ÄÖ-model");
        assertThat(names.matching(NameSearch.Kind.DATASET, "ÜNÏ", 10)).containsExactly("Ünïcode-set");
        assertThat(names.matching(NameSearch.Kind.METRIC, "GRÖ", 10)).containsExactly("Größe_acc");
        assertThat(names.matching(NameSearch.Kind.MODEL, "MED", 10)).containsExactly("medgemma-v1");
    }

    /** A database in SQL_ASCII (initdb --no-locale's default) cannot use ICU's collations: the search folds as it can. */
    @Test
    void a_database_without_icu_collations_still_finds_names_by_its_own_case_mapping() {
        try (Benchmon ascii = TestDatabases.freshCreatedWith("TEMPLATE template0 ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'")) {
            ascii.recordAll(List.of(BenchmarkResult.builder("MedGemma-v1", "d").metric("f1", 0.5).build()));

            assertThat(ascii.names().matching(NameSearch.Kind.MODEL, "gemma", 10)).containsExactly("MedGemma-v1");
        }
    }
}
