package dev.tokenissuer.grant;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import dev.tokenissuer.store.PublicKeyCredential;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.InMemoryReplayGuard;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JWS reader (a jwt-bearer assertion, a private_key_jwt client assertion, a DPoP proof) fed headers and payloads
 * that are not JSON objects, nested deep, or carry a member of the wrong type, signed correctly so that the claims
 * readers run too: each answer is the OAuth refusal of where the JWS came, never another exception.
 */
class JwsReadersFuzzTest {

    private static final String KID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final String USER = "0b6f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String ORG = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6";
    private static final String ENDPOINT = "https://auth.example.test/v1beta1/auth/token";
    private static final RSAKey RSA = rsa();

    /** Values that are not a JSON object, or not valid JSON at all. */
    static final List<String> NOT_OBJECTS = List.of("null", "[]", "[{}]", "1", "-1.5e300", "\"x\"", "true", "false",
            "{", "}", "{\"a\":1,\"a\":2}", "{\"alg\":\"RS256\",\"alg\":\"none\"}", "{} {}", "{}x", "\u0000",
            " ", "nul", "[" .repeat(3000), "{\"a\":" .repeat(1500) + "1" + "}".repeat(1500),
            "[".repeat(20) + "]".repeat(20), "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}");

    /** Member values of every JSON type, odd sizes and nesting. */
    static final List<String> ODD_VALUES = List.of("null", "true", "0", "-1", "1.5", "1e400", "-1e400",
            "18446744073709551616", "9223372036854775807", "\"\"", "\"x\"", "\"none\"", "[]", "[1]", "[\"a\",\"b\"]",
            "[null]", "{}", "{\"a\":null}", "{\"kty\":5}", "{\"kty\":\"RSA\",\"n\":1,\"e\":[]}",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":{},\"y\":null}", "[".repeat(12) + "]".repeat(12),
            "{\"a\":" + "[".repeat(30) + "]".repeat(30) + "}", "\"" + "\\u0000".repeat(10) + "\"");

    static final List<String> HEADER_MEMBERS = List.of("alg", "kid", "typ", "jwk", "cty", "crit", "b64", "jku",
            "x5u", "x5c", "x5t", "x5t#S256", "zip", "enc");

    static final List<String> PAYLOAD_MEMBERS = List.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "kid",
            "htm", "htu", "gen", "cnf", "ath", "nonce");

    private final FakeCredentialStore store = new FakeCredentialStore()
            .with(new PublicKeyCredential(KID, USER, ORG, ServiceUserState.ENABLED, RSA.toPublicJWK()));
    private final InMemoryReplayGuard replayGuard = new InMemoryReplayGuard();
    private final Clock clock = Clock.systemUTC();
    private final AssertionRules rules = new AssertionRules(Set.of(ENDPOINT), false, Duration.ofSeconds(60),
            Duration.ofHours(1), "https://auth.example.test");
    private final DpopProofs proofs = new DpopProofs(replayGuard, Duration.ofSeconds(60), clock);
    private final Grants grants = new Grants(
            List.of(new ClientCredentialsGrant(), new JwtBearerGrant(store, replayGuard, rules, clock)),
            List.of(new PrivateKeyJwtAuthentication(store, replayGuard, rules, clock),
                    new ClientSecretAuthentication(store)),
            Optional.of(proofs));

    private static RSAKey rsa() {
        try {
            return new RSAKeyGenerator(2048).keyID(KID).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One place a JWS is read: how a request carries it, and the error it must get. */
    private record Reader(String name, Function<String, TokenRequest> request, OAuthError.Code refusal) {
    }

    private static final List<Reader> READERS = List.of(
            new Reader("assertion", jws -> request(JwtBearerGrant.GRANT_TYPE, Map.of(JwtBearerGrant.ASSERTION, jws),
                    Optional.empty()), OAuthError.Code.INVALID_GRANT),
            new Reader("client_assertion", jws -> request(ClientCredentialsGrant.GRANT_TYPE, Map.of(
                    PrivateKeyJwtAuthentication.CLIENT_ASSERTION_TYPE, PrivateKeyJwtAuthentication.ASSERTION_TYPE,
                    PrivateKeyJwtAuthentication.CLIENT_ASSERTION, jws), Optional.empty()),
                    OAuthError.Code.INVALID_CLIENT),
            new Reader("DPoP", jws -> request(ClientCredentialsGrant.GRANT_TYPE, Map.of(), Optional.of(jws)),
                    OAuthError.Code.INVALID_DPOP_PROOF));

    private static TokenRequest request(String grantType, Map<String, String> parameters, Optional<String> dpop) {
        return new TokenRequest(grantType, parameters, false, Optional.of(ENDPOINT), Optional.empty(), dpop, "POST",
                Map.of());
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** {@code header.payload} signed with RS256 by the registered key, whatever the texts are. */
    private static String signed(String header, String payload) {
        String input = b64(header) + "." + b64(payload);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(RSA.toPrivateKey());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64URL.encode(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A header each reader would accept: RS256, the registered kid, and the key as DPoP's jwk. */
    private static Map<String, String> validHeader() {
        Map<String, String> header = new LinkedHashMap<>();
        header.put("alg", "\"RS256\"");
        header.put("typ", "\"dpop+jwt\"");
        header.put("kid", "\"" + KID + "\"");
        header.put("jwk", RSA.toPublicJWK().toJSONString());
        return header;
    }

    /** Claims each reader would accept but for one member; single use, so a valid one never repeats. */
    private static Map<String, String> validPayload() {
        long now = Instant.now().getEpochSecond();
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("iss", "\"" + USER + "\"");
        payload.put("sub", "\"" + USER + "\"");
        payload.put("aud", "\"" + ENDPOINT + "\"");
        payload.put("iat", Long.toString(now));
        payload.put("exp", Long.toString(now + 120));
        payload.put("jti", "\"" + java.util.UUID.randomUUID() + "\"");
        payload.put("htm", "\"POST\"");
        payload.put("htu", "\"" + ENDPOINT + "\"");
        return payload;
    }

    private static String object(Map<String, String> members) {
        StringBuilder json = new StringBuilder("{");
        members.forEach((name, value) -> json.append(json.length() > 1 ? "," : "")
                .append('"').append(name).append("\":").append(value));
        return json.append('}').toString();
    }

    /** Runs {@code jws} through {@code reader}: no answer but a token or the reader's own refusal. */
    private List<String> misfits(Reader reader, String jws) {
        List<String> misfits = new ArrayList<>();
        TokenRequest request = reader.request().apply(jws);
        try {
            grants.claimed(request);
        } catch (RuntimeException | StackOverflowError e) {
            misfits.add(reader.name() + " claimed: " + e);
        }
        try {
            if (reader.refusal() == OAuthError.Code.INVALID_DPOP_PROOF) {
                // The proof alone: one that passes leaves the request to fail at client authentication.
                proofs.verify(request);
            } else {
                grants.authorize(request, new RecordedUses());
            }
        } catch (OAuthException refused) {
            if (refused.error().code() != reader.refusal()) {
                misfits.add(reader.name() + ": " + refused.error().code() + " " + refused.error().description());
            }
        } catch (RuntimeException | StackOverflowError e) {
            misfits.add(reader.name() + ": " + e);
        }
        return misfits;
    }

    @Test
    @DisplayName("a JWS whose header or payload is not a JSON object is refused as malformed by every reader")
    void notObjects() {
        List<String> misfits = new ArrayList<>();
        String validHeader = object(validHeader());
        for (String value : NOT_OBJECTS) {
            for (Reader reader : READERS) {
                misfits.addAll(misfits(reader, b64(value) + ".e30.c2ln"));
                misfits.addAll(misfits(reader, signed(value, "{}")));
                misfits.addAll(misfits(reader, signed(validHeader, value)));
                misfits.addAll(misfits(reader, signed(value, value)));
            }
        }
        assertThat(misfits).isEmpty();
    }

    @Test
    @DisplayName("the header null in the form the attack used is refused with each reader's own error")
    void headerNull() {
        for (Reader reader : READERS) {
            assertThat(misfits(reader, "bnVsbA.e30.c2ln")).as(reader.name()).isEmpty();
        }
    }

    @Test
    @DisplayName("a header member of any type or nesting is a refusal, never another exception")
    void oddHeaderMembers() {
        List<String> misfits = new ArrayList<>();
        for (String member : HEADER_MEMBERS) {
            for (String value : ODD_VALUES) {
                Map<String, String> header = validHeader();
                header.put(member, value);
                for (Reader reader : READERS) {
                    misfits.addAll(misfits(reader, signed(object(header), object(validPayload()))));
                }
            }
        }
        assertThat(misfits).isEmpty();
    }

    @Test
    @DisplayName("a claim of any type or nesting, signed by the registered key, is a refusal, never another exception")
    void oddPayloadMembers() {
        List<String> misfits = new ArrayList<>();
        for (String member : PAYLOAD_MEMBERS) {
            for (String value : ODD_VALUES) {
                for (Reader reader : READERS) {
                    Map<String, String> header = validHeader();
                    if (!reader.name().equals("DPoP")) {
                        header.remove("jwk");
                        header.put("typ", "\"JWT\"");
                    } else {
                        header.remove("kid");
                    }
                    Map<String, String> payload = validPayload();
                    payload.put(member, value);
                    misfits.addAll(misfits(reader, signed(object(header), object(payload))));
                }
            }
        }
        assertThat(misfits).isEmpty();
    }

    @Test
    @DisplayName("the readers' baseline is a token: the fuzzed values, not the rest, are what is refused")
    void baselineAccepted() {
        Map<String, String> header = validHeader();
        header.remove("jwk");
        header.put("typ", "\"JWT\"");
        Map<String, String> dpopHeader = validHeader();
        dpopHeader.remove("kid");

        assertThat(grants.authorize(READERS.get(0).request().apply(signed(object(header), object(validPayload()))),
                new RecordedUses()))
                .isNotNull();
        assertThat(grants.authorize(READERS.get(1).request().apply(signed(object(header), object(validPayload()))),
                new RecordedUses()))
                .isNotNull();
        TokenRequest withProof = new TokenRequest(JwtBearerGrant.GRANT_TYPE,
                Map.of(JwtBearerGrant.ASSERTION, signed(object(header), object(validPayload()))), false,
                Optional.of(ENDPOINT), Optional.empty(), Optional.of(signed(object(dpopHeader),
                object(validPayload()))), "POST", Map.of());
        assertThat(grants.authorize(withProof, new RecordedUses()).boundKey()).isPresent();
    }

    @Test
    @DisplayName("nesting is measured outside strings only")
    void nestingScan() {
        assertThat(dev.tokenissuer.http.JsonValues.nesting("{\"a\":\"[[[[{{{\\\"[[\"}")).isEqualTo(1);
        assertThat(dev.tokenissuer.http.JsonValues.nesting("{\"a\":[[{}]]}")).isEqualTo(4);
    }
}
