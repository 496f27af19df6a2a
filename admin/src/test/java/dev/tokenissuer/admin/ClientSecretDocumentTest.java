package dev.tokenissuer.admin;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class ClientSecretDocumentTest {

    private static final String ID = "5e0ad0a4-8b7c-4c8e-9f0e-2b7f3c1d6a90";

    @Test
    @DisplayName("the document round-trips, and its text never shows the secret")
    void roundTrip() {
        ClientSecretDocument document = new ClientSecretDocument(ID, "s3cret", "https://auth.example.com/v1beta1/auth/token");

        assertThat(ClientSecretDocument.parse(document.toJson())).contains(document);
        assertThat(document.toString()).doesNotContain("s3cret");
        assertThat(ClientSecretDocument.tokenEndpoint(URI.create("https://auth.example.com/")))
                .isEqualTo("https://auth.example.com/v1beta1/auth/token");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"username\":\"db\",\"password\":\"x\"}",
            "{\"client_id\":\"" + ID + "\",\"client_secret\":\"s\"}",
            "{\"client_id\":\"" + ID + "\",\"client_secret\":\"s\",\"token_endpoint\":\"u\",\"extra\":1}",
            "{\"client_id\":\"not-a-uuid\",\"client_secret\":\"s\",\"token_endpoint\":\"u\"}",
            "{\"client_id\":\"" + ID + "\",\"client_secret\":\"\",\"token_endpoint\":\"u\"}",
            "{\"client_id\":\"" + ID + "\",\"client_secret\":5,\"token_endpoint\":\"u\"}",
            "[]", "not json", ""})
    @DisplayName("anything but exactly this project's three string members is not ours")
    void refusesOtherDocuments(String json) {
        assertThat(ClientSecretDocument.parse(json)).isEmpty();
    }
}
