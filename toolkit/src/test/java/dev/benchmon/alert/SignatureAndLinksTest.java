package dev.benchmon.alert;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook signature against RFC 4231's test vector, and the commit, compare and CI links. */
class SignatureAndLinksTest {
    @Test
    void the_signature_is_hmac_sha256_as_rfc_4231_test_case_2() {
        byte[] body = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);

        assertThat(Signature.sign("Jefe", body))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(Signature.verify("Jefe", body, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")).isTrue();
        assertThat(Signature.verify("other", body, Signature.sign("Jefe", body))).isFalse();
    }

    @Test
    void github_gitlab_and_template_repositories_give_commit_and_compare_links() {
        Links github = new Links("https://github.com/acme/models/", null);
        assertThat(github.commit("abc")).isEqualTo("https://github.com/acme/models/commit/abc");
        assertThat(github.compare("abc", "def")).isEqualTo("https://github.com/acme/models/compare/abc...def");
        assertThat(github.compare(null, "def")).isEqualTo("https://github.com/acme/models/commit/def");

        Links gitlab = new Links("https://gitlab.com/group/project", null);
        assertThat(gitlab.commit("abc")).isEqualTo("https://gitlab.com/group/project/-/commit/abc");
        assertThat(gitlab.compare("abc", "def")).isEqualTo("https://gitlab.com/group/project/-/compare/abc...def");

        Links template = new Links("https://git.example/r?c={commit}", "https://ci.example/job/{run_id}/");
        assertThat(template.commit("a b")).isEqualTo("https://git.example/r?c=a%20b");
        assertThat(template.compare("abc", "def")).isEqualTo("https://git.example/r?c=def");
        assertThat(template.run("42")).isEqualTo("https://ci.example/job/42");
        assertThat(Links.none().commit("abc")).isNull();
        assertThat(Links.none().run("42")).isNull();
    }
}
