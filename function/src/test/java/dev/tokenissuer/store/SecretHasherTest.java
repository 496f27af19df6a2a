package dev.tokenissuer.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class SecretHasherTest {

    @Test
    @DisplayName("new secrets are 43 characters of base64url (32 bytes, no padding)")
    void newSecretShape() {
        for (int i = 0; i < 50; i++) {
            assertThat(SecretHasher.newSecret()).hasSize(43).matches("[A-Za-z0-9_-]{43}");
        }
    }

    @Test
    @DisplayName("new secrets are all different")
    void newSecretsDistinct() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            secrets.add(SecretHasher.newSecret());
        }
        assertThat(secrets).hasSize(1000);
    }

    @Test
    @DisplayName("the stored hash never contains the secret")
    void hashDoesNotContainSecret() {
        String secret = SecretHasher.newSecret();

        String hash = SecretHasher.hash(secret);

        assertThat(hash).doesNotContain(secret);
        assertThat(hash).startsWith("sha256$");
    }

    @Test
    @DisplayName("hashing the same secret twice gives different hashes (salted), both matching it")
    void salted() {
        String secret = SecretHasher.newSecret();

        String first = SecretHasher.hash(secret);
        String second = SecretHasher.hash(secret);

        assertThat(first).isNotEqualTo(second);
        assertThat(SecretHasher.matches(secret, first)).isTrue();
        assertThat(SecretHasher.matches(secret, second)).isTrue();
    }

    @Test
    @DisplayName("a secret matches its own hash and no other secret does")
    void matchesOnlyItsSecret() {
        String secret = SecretHasher.newSecret();
        String hash = SecretHasher.hash(secret);

        assertThat(SecretHasher.matches(secret, hash)).isTrue();
        assertThat(SecretHasher.matches(SecretHasher.newSecret(), hash)).isFalse();
        assertThat(SecretHasher.matches(secret + "x", hash)).isFalse();
        assertThat(SecretHasher.matches(secret.substring(1), hash)).isFalse();
        assertThat(SecretHasher.matches("", hash)).isFalse();
    }

    @Test
    @DisplayName("secrets with non-ASCII characters hash and match")
    void nonAsciiSecret() {
        String secret = "pässwörd-€-🔑";

        assertThat(SecretHasher.matches(secret, SecretHasher.hash(secret))).isTrue();
        assertThat(SecretHasher.matches("passwort-€-🔑", SecretHasher.hash(secret))).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullSource
    @ValueSource(strings = {"", "$", "$$", "sha256", "sha256$", "sha256$$", "sha256$!!!$@@@", "md5$abc$def",
            "sha256$YWJj$ZGVm$extra", "plaintext-secret", "sha256$YWJj", "SHA256$YWJj$ZGVm"})
    @DisplayName("a malformed stored hash is a non-match, not an exception")
    void malformedStoredHash(String stored) {
        assertThatCode(() -> SecretHasher.matches("plaintext-secret", stored)).doesNotThrowAnyException();
        assertThat(SecretHasher.matches("plaintext-secret", stored)).isFalse();
    }

    @Test
    @DisplayName("a hash in the right format for another scheme name does not match")
    void otherSchemeDoesNotMatch() {
        String secret = SecretHasher.newSecret();
        String hash = SecretHasher.hash(secret);

        assertThat(SecretHasher.matches(secret, hash.replaceFirst("^sha256", "sha512"))).isFalse();
    }

    @Test
    @DisplayName("the unknown-client check never matches")
    void matchesNothing() {
        assertThat(SecretHasher.matchesNothing(SecretHasher.newSecret())).isFalse();
        assertThat(SecretHasher.matchesNothing("")).isFalse();
        assertThat(SecretHasher.matchesNothing("decoy-")).isFalse();
    }
}
