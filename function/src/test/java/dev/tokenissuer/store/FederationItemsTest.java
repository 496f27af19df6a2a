package dev.tokenissuer.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FederationItemsTest {

    private static final AllowedAccess ALLOWED = new AllowedAccess(List.of("deploy"), List.of("https://api.example"));

    @Test
    @DisplayName("an AWS trust rule round-trips with its service user's copies, under fed#aws#ARN")
    void awsTrust() {
        AwsTrustItem rule = new AwsTrustItem("arn:aws:iam::123456789012:role/deployer", "r-1", "u-1", "org-1",
                ServiceUserState.ENABLED, "ci", "2026-12-07T00:00:00Z", ALLOWED);
        var item = rule.toItem();
        assertThat(item.get(TableSchema.PARTITION_KEY).s()).isEqualTo("fed#aws#arn:aws:iam::123456789012:role/deployer");
        assertThat(AwsTrustItem.fromItem(item)).hasValue(rule);
        assertThat(ClientSecretItem.fromItem(item)).isEmpty();
    }

    @Test
    @DisplayName("an OIDC trust rule round-trips with its required claims; an issuer without audience reads as none")
    void oidc() {
        OidcTrustItem rule = new OidcTrustItem("https://token.actions.githubusercontent.com", "repo:acme/api:*",
                Map.of("repository_owner", "acme"), "r-2", "u-1", "org-1", ServiceUserState.DISABLED, "", "t", ALLOWED);
        assertThat(OidcTrustItem.fromItem(rule.toItem())).hasValue(rule);
        OidcIssuerItem issuer = new OidcIssuerItem("https://token.actions.githubusercontent.com", null, "t");
        assertThat(OidcIssuerItem.fromItem(issuer.toItem())).hasValue(issuer);
        assertThat(OidcTrustItem.fromItem(issuer.toItem())).isEmpty();
    }

    @Test
    @DisplayName("subject patterns: exact, a trailing * after : or /, or * alone; nothing else")
    void patterns() {
        assertThat(SubjectPatterns.whyNot("repo:acme/api:ref:refs/heads/main")).isEmpty();
        assertThat(SubjectPatterns.whyNot("repo:acme/api:*")).isEmpty();
        assertThat(SubjectPatterns.whyNot("system:serviceaccount:payments:*")).isEmpty();
        assertThat(SubjectPatterns.whyNot("*")).isEmpty();
        assertThat(SubjectPatterns.whyNot("repo:acme/api*")).isPresent();
        assertThat(SubjectPatterns.whyNot("repo:*:ref")).isPresent();
        assertThat(SubjectPatterns.whyNot("")).isPresent();
    }

    @Test
    @DisplayName("a subject's candidates are itself, its prefixes at : and /, longest first, then *")
    void candidates() {
        assertThat(SubjectPatterns.candidates("repo:acme/api:ref:refs/heads/main")).containsExactly(
                "repo:acme/api:ref:refs/heads/main", "repo:acme/api:ref:refs/heads/*", "repo:acme/api:ref:refs/*",
                "repo:acme/api:ref:*", "repo:acme/api:*", "repo:acme/*", "repo:*", "*");
        assertThat(SubjectPatterns.candidates("a*b")).isEmpty();
        assertThat(SubjectPatterns.candidates(":".repeat(100))).isEmpty();
    }
}
