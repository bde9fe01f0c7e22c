package dev.benchmon.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a value is echoed in a message: visible and short, and never with half a character. */
class TextRulesTest {
    private static final String EMOJI = "\uD83D\uDE00"; // one character, two UTF-16 units

    @Test
    void a_quoted_value_cut_at_an_emoji_leaves_the_emoji_out_rather_than_half_of_it() {
        String quoted = TextRules.quoted("x".repeat(36) + EMOJI + "y".repeat(20));
        assertThat(quoted).isEqualTo("x".repeat(36) + "...");
    }

    @Test
    void a_visible_value_cut_at_an_emoji_leaves_the_emoji_out_rather_than_half_of_it() {
        String visible = TextRules.visible("x".repeat(59) + EMOJI + "y");
        assertThat(visible).isEqualTo("x".repeat(59) + "...");
    }

    @Test
    void a_quoted_value_shows_control_characters_and_keeps_forty_characters() {
        assertThat(TextRules.quoted("a\u0007" + "b".repeat(60))).isEqualTo("a\\u0007" + "b".repeat(30) + "...");
    }
}
