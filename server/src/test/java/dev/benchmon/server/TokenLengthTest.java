package dev.benchmon.server;

import dev.benchmon.ConfigurationException;
import dev.benchmon.server.alert.AlertSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every token the server accepts, the triage token included, is held to one length rule. */
class TokenLengthTest {
    private static final String LONG = "a-write-token-long-enough";

    private static ServerSettings on(String host, Tokens tokens, String triageToken) {
        return ServerSettings.defaults().withHost(host).withTokens(tokens)
                .withAlerts(AlertSettings.none().withTriageToken(triageToken));
    }

    @Test
    void a_short_triage_token_is_refused_off_loopback_naming_its_variable_not_its_value() {
        assertThatThrownBy(() -> on("0.0.0.0", Tokens.of(LONG, null), "Tr1shrt").checkSafeToExpose())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("refusing to listen on 0.0.0.0: the triage token (BENCHMON_TRIAGE_TOKEN) is shorter than 16 "
                        + "characters, easy to guess by trying; use a random token, e.g. openssl rand -hex 32")
                .hasMessageNotContaining("Tr1shrt");
    }

    @Test
    void a_short_triage_token_on_loopback_is_allowed_and_named_in_the_start_warning() {
        ServerSettings loopback = on("127.0.0.1", Tokens.of(LONG, null), "Tr1shrt");
        assertThatCode(loopback::checkSafeToExpose).doesNotThrowAnyException();
        assertThat(loopback.tokenWeakness()).startsWith("the triage token (BENCHMON_TRIAGE_TOKEN) is shorter than 16");
    }

    @Test
    void a_triage_token_of_16_characters_is_long_enough() {
        assertThatCode(() -> on("0.0.0.0", Tokens.of(LONG, null), "0123456789abcdef").checkSafeToExpose())
                .doesNotThrowAnyException();
    }

    @Test
    void every_short_token_is_named_in_one_message() {
        assertThat(on("127.0.0.1", Tokens.of("w-short", "r-short"), "t-short").tokenWeakness())
                .startsWith("the write token (BENCHMON_WRITE_TOKEN, or write_token in --tokens-file), the read token "
                        + "(BENCHMON_READ_TOKEN, or read_token in --tokens-file) and the triage token "
                        + "(BENCHMON_TRIAGE_TOKEN) are shorter than 16 characters");
    }
}
