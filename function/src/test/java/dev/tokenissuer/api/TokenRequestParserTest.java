package dev.tokenissuer.api;

import dev.tokenissuer.grant.OAuthError;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static dev.tokenissuer.testing.ApiErrors.errorOf;
import static dev.tokenissuer.testing.TestCredentials.basic;
import static org.assertj.core.api.Assertions.assertThat;

class TokenRequestParserTest {

    private static final String TOKEN_PATH = "/v1beta1/auth/token";
    private static final String ID = "5e0ad0a4-8b7c-4c8e-9f0e-2b7f3c1d6a90";
    private static final String SECRET = "s3cr3t-value_0123456789";

    private final TokenRequestParser parser = new TokenRequestParser(
            TestApis.application(new FakeCredentialStore()).grants(), Optional.empty(), IssuerName.fixed(TestApis.ISSUER));

    private TokenRequest parse(Requests request) {
        return parser.parse(request.build());
    }

    private ApiError rejection(Requests request) {
        HttpRequest built = request.build();
        return errorOf(() -> parser.parse(built));
    }

    private static Requests post() {
        return Requests.post(TOKEN_PATH);
    }

    private static void assertInvalidRequest(ApiError error) {
        assertThat(error.httpStatus()).isEqualTo(400);
        assertThat(error.grpcCode()).isEqualTo(3);
        assertThat(error.error()).isEqualTo("invalid_request");
    }

    @Nested
    @DisplayName("reads credentials from")
    class Accepted {

        @Test
        @DisplayName("a JSON body")
        void jsonBody() {
            TokenRequest request = parse(post().json(
                    "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + ID + "\",\"client_secret\":\"" + SECRET
                            + "\"}"));

            assertThat(request.grantType()).isEqualTo("client_credentials");
            assertThat(request.clientId()).contains(ID);
            assertThat(request.parameter("client_secret")).contains(SECRET);
            assertThat(request.parameter("assertion")).isEmpty();
        }

        @Test
        @DisplayName("a JSON body whose Content-Type has a charset parameter and odd case")
        void jsonBodyWithCharset() {
            TokenRequest request = parse(post().contentType("Application/JSON; charset=UTF-8")
                    .body("{\"grant_type\":\"client_credentials\"}"));

            assertThat(request.grantType()).isEqualTo("client_credentials");
        }

        @Test
        @DisplayName("a form body, percent-decoding its values")
        void formBody() {
            TokenRequest request = parse(post().form(
                    "grant_type=client_credentials&client_id=" + ID + "&client_secret=a%2Bb%3Dc+d"));

            assertThat(request.grantType()).isEqualTo("client_credentials");
            assertThat(request.clientId()).contains(ID);
            assertThat(request.parameter("client_secret")).contains("a+b=c d");
        }

        @Test
        @DisplayName("a JSON body sent without Content-Type (as Frontier's clients do)")
        void jsonWithoutContentType() {
            TokenRequest request = parse(post().body(
                    "  {\"grant_type\":\"client_credentials\",\"client_id\":\"" + ID + "\"}"));

            assertThat(request.grantType()).isEqualTo("client_credentials");
            assertThat(request.clientId()).contains(ID);
        }

        @Test
        @DisplayName("a form body sent without Content-Type")
        void formWithoutContentType() {
            TokenRequest request = parse(post().body("grant_type=client_credentials&client_id=" + ID));

            assertThat(request.grantType()).isEqualTo("client_credentials");
            assertThat(request.clientId()).contains(ID);
        }

        @Test
        @DisplayName("a Basic header, with a form body carrying only grant_type")
        void basicHeader() {
            TokenRequest request = parse(post().header("Authorization", basic(ID, SECRET))
                    .form("grant_type=client_credentials"));

            assertThat(request.clientId()).contains(ID);
            assertThat(request.parameter("client_secret")).contains(SECRET);
        }

        @ParameterizedTest(name = "scheme word \"{0}\"")
        @ValueSource(strings = {"Basic", "basic", "BASIC", "bAsIc"})
        @DisplayName("a Basic header whatever the case of the scheme word")
        void basicSchemeCaseInsensitive(String scheme) {
            String credentials = basic(ID, SECRET).substring("Basic ".length());

            TokenRequest request = parse(post().header("Authorization", scheme + " " + credentials)
                    .form("grant_type=client_credentials"));

            assertThat(request.clientId()).contains(ID);
            assertThat(request.parameter("client_secret")).contains(SECRET);
        }

        @ParameterizedTest(name = "secret {0}")
        @ValueSource(strings = {"with:colon", "with+plus", "with%percent", "with space", "nön-ASCII-ß-€-🔑",
                "all:+%&= of them"})
        @DisplayName("a Basic header whose secret was form-urlencoded before base64 (RFC 6749 §2.3.1)")
        void basicPercentEncodedSecret(String secret) {
            TokenRequest request = parse(post().header("Authorization", basic(ID, secret))
                    .form("grant_type=client_credentials"));

            assertThat(request.parameter("client_secret")).contains(secret);
        }

        @Test
        @DisplayName("a Basic header from a Frontier client, secret not form-encoded: its + kept aside as sent")
        void basicRawFrontierSecret() {
            String raw = "F4tCe3JTpTInBkPkIBGwNzr+VpZXbHmlgx5RGeofW1U";
            String header = "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (ID + ":" + raw).getBytes(java.nio.charset.StandardCharsets.UTF_8));

            TokenRequest request = parse(post().header("Authorization", header).form("grant_type=client_credentials"));

            assertThat(request.parameter("client_secret")).contains(raw.replace('+', ' '));
            assertThat(request.basicSecretAsSent()).contains(raw);
        }

        @Test
        @DisplayName("a secret as sent cannot be smuggled in through the body")
        void secretAsSentNotFromBody() {
            TokenRequest request = parse(post().header("Authorization", basic(ID, SECRET)).form(
                    "grant_type=client_credentials&" + java.net.URLEncoder.encode(TokenRequest.BASIC_SECRET_AS_SENT,
                            java.nio.charset.StandardCharsets.UTF_8) + "=guess"));

            assertThat(request.basicSecretAsSent()).isEmpty();
            assertThat(request.parameter(TokenRequest.BASIC_SECRET_AS_SENT)).isEmpty();
        }

        @Test
        @DisplayName("a Basic header whose client id was form-urlencoded, including a colon")
        void basicPercentEncodedClientId() {
            TokenRequest request = parse(post().header("Authorization", basic("client:ü+1", SECRET))
                    .form("grant_type=client_credentials"));

            assertThat(request.clientId()).contains("client:ü+1");
            assertThat(request.parameter("client_secret")).contains(SECRET);
        }

        @Test
        @DisplayName("a Basic header with the same client_id repeated in the body")
        void basicWithMatchingBodyClientId() {
            TokenRequest request = parse(post().header("Authorization", basic(ID, SECRET))
                    .form("grant_type=client_credentials&client_id=" + ID));

            assertThat(request.clientId()).contains(ID);
            assertThat(request.parameter("client_secret")).contains(SECRET);
        }

        @Test
        @DisplayName("a body that ignores unknown parameters of any JSON type")
        void unknownJsonParametersIgnored() {
            TokenRequest request = parse(post().json(
                    "{\"grant_type\":\"client_credentials\",\"extra\":{\"a\":[1,2,{\"b\":null}]},\"n\":5}"));

            assertThat(request.grantType()).isEqualTo("client_credentials");
        }

        @Test
        @DisplayName("empty and null parameters as absent (RFC 6749 §3.1)")
        void emptyParametersAreAbsent() {
            TokenRequest json = parse(post().json(
                    "{\"grant_type\":\"client_credentials\",\"client_id\":\"\",\"client_secret\":null}"));
            TokenRequest form = parse(post().form("grant_type=client_credentials&client_id=&client_secret"));

            assertThat(json.clientId()).isEmpty();
            assertThat(json.parameter("client_secret")).isEmpty();
            assertThat(form.clientId()).isEmpty();
            assertThat(form.parameter("client_secret")).isEmpty();
        }

        @Test
        @DisplayName("the assertion parameter")
        void assertion() {
            TokenRequest request = parse(post().form(
                    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b.c"));

            assertThat(request.grantType()).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
            assertThat(request.parameter("assertion")).contains("a.b.c");
        }
    }

    @Nested
    @DisplayName("with the issuer derived from the request (neither TOKEN_ISSUER nor PUBLIC_BASE_URL)")
    class DerivedIssuer {

        private final TokenRequestParser derived = new TokenRequestParser(
                TestApis.application(new FakeCredentialStore()).grants(), Optional.empty(),
                new IssuerName("token-issuer", true));

        private Requests request(String host) {
            Requests request = post().header("Authorization", basic(ID, SECRET)).form("grant_type=client_credentials");
            return host == null ? request : request.header("Host", host);
        }

        @Test
        @DisplayName("names the issuer and the token endpoint from the Host and the last X-Forwarded-Proto")
        void issuerFromHost() {
            TokenRequest request = derived.parse(request("abc.execute-api.eu-west-1.amazonaws.com")
                    .header("X-Forwarded-Proto", "http, https").build());

            assertThat(request.issuer()).contains("https://abc.execute-api.eu-west-1.amazonaws.com");
            assertThat(request.tokenEndpoint())
                    .contains("https://abc.execute-api.eu-west-1.amazonaws.com" + TOKEN_PATH);
        }

        @ParameterizedTest(name = "Host \"{0}\"")
        @ValueSource(strings = {"", " ", "evil.example/path", "a b", "user@host", "a.example,a.example",
                "a.example, b.example", "host:port"})
        @DisplayName("refuses a missing, empty, malformed or doubled Host with 400, as discovery does, without echoing it")
        void refusesABadHost(String host) {
            ApiError error = errorOf(() -> derived.parse(request(host.isEmpty() ? null : host).build()));

            assertInvalidRequest(error);
            assertThat(error.description()).isEqualTo("the request has no valid Host header");
            if (!host.isBlank()) {
                assertThat(error.description()).doesNotContain(host);
            }
        }

        @Test
        @DisplayName("refuses a Host sent twice as two headers")
        void refusesTwoHostHeaders() {
            ApiError error = errorOf(() -> derived.parse(request("a.example").header("host", "a.example").build()));

            assertInvalidRequest(error);
        }

        @Test
        @DisplayName("with a configured issuer, a bad Host changes nothing: the issuer is the configured one")
        void configuredIssuerIgnoresTheHost() {
            TokenRequest request = parse(request("a.example, b.example"));

            assertThat(request.issuer()).contains(TestApis.ISSUER);
            assertThat(request.tokenEndpoint()).isEmpty();
        }
    }

    @Nested
    @DisplayName("rejects with 400 invalid_request")
    class Rejected {

        @Test
        @DisplayName("credentials sent twice: Basic header and client_secret in the body")
        void credentialsTwice() {
            ApiError error = rejection(post().header("Authorization", basic(ID, SECRET))
                    .form("grant_type=client_credentials&client_id=" + ID + "&client_secret=" + SECRET));

            assertInvalidRequest(error);
        }

        @Test
        @DisplayName("credentials sent twice even when the body's secret differs from the header's")
        void credentialsTwiceInJson() {
            ApiError error = rejection(post().header("Authorization", basic(ID, SECRET))
                    .json("{\"grant_type\":\"client_credentials\",\"client_secret\":\"other\"}"));

            assertInvalidRequest(error);
        }

        @Test
        @DisplayName("a body client_id that differs from the Basic header's")
        void differingClientId() {
            ApiError error = rejection(post().header("Authorization", basic(ID, SECRET))
                    .form("grant_type=client_credentials&client_id=another-client"));

            assertInvalidRequest(error);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{\"grant_type\": \"client_credentials\",", "{grant_type: \"x\"}", "{\"a\":1} {}",
                "{\"grant_type\":\"client_credentials\"} trailing", "{'grant_type':'x'}", "not json"})
        @DisplayName("malformed JSON")
        void malformedJson(String body) {
            assertInvalidRequest(rejection(post().json(body)));
        }

        @ParameterizedTest(name = "[{index}] \"{0}\"")
        @ValueSource(strings = {"[{\"grant_type\":\"client_credentials\"}]", "\"client_credentials\"", "42", "null",
                "   "})
        @DisplayName("a JSON body that is not an object")
        void jsonNotAnObject(String body) {
            assertInvalidRequest(rejection(post().json(body)));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{\"grant_type\":1}", "{\"grant_type\":\"client_credentials\",\"client_id\":42}",
                "{\"grant_type\":\"client_credentials\",\"client_secret\":[\"a\"]}",
                "{\"grant_type\":\"client_credentials\",\"client_secret\":{\"v\":\"a\"}}",
                "{\"grant_type\":true}", "{\"grant_type\":\"x\",\"scope\":1}"})
        @DisplayName("a known field that is not a string")
        void nonStringKnownField(String body) {
            assertInvalidRequest(rejection(post().json(body)));
        }

        @Test
        @DisplayName("a JSON body that repeats a key")
        void duplicateJsonKey() {
            ApiError error = rejection(post().json(
                    "{\"grant_type\":\"client_credentials\",\"client_id\":\"a\",\"client_id\":\"b\"}"));

            assertInvalidRequest(error);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"grant_type=client_credentials&client_id=a&client_id=b",
                "grant_type=client_credentials&grant_type=client_credentials",
                "grant_type=client_credentials&client_id=&client_id=a",
                "grant_type=client_credentials&extra=1&extra=2"})
        @DisplayName("a form body that repeats a parameter")
        void repeatedFormParameter(String body) {
            assertInvalidRequest(rejection(post().form(body)));
        }

        @Test
        @DisplayName("a form body with a broken percent escape")
        void brokenPercentEscape() {
            assertInvalidRequest(rejection(post().form("grant_type=client_credentials&client_id=%zz")));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"client_id=a&client_secret=b", "grant_type=", "grant_type"})
        @DisplayName("a form body without grant_type")
        void missingGrantTypeInForm(String body) {
            ApiError error = rejection(post().form(body));

            assertInvalidRequest(error);
            assertThat(error.description()).contains("grant_type");
        }

        @Test
        @DisplayName("a JSON body without grant_type")
        void missingGrantTypeInJson() {
            ApiError error = rejection(post().json("{\"client_id\":\"a\",\"client_secret\":\"b\"}"));

            assertInvalidRequest(error);
            assertThat(error.description()).contains("grant_type");
        }

        @Test
        @DisplayName("an empty body")
        void emptyBody() {
            assertInvalidRequest(rejection(post().form("")));
            assertInvalidRequest(rejection(post()));
        }

        @Test
        @DisplayName("a body over 64 KiB")
        void oversizedBody() {
            String body = "grant_type=client_credentials&pad=" + "x".repeat(TokenRequestParser.MAX_BODY_BYTES);

            assertInvalidRequest(rejection(post().form(body)));
        }

        @Test
        @DisplayName("a parameter over 16 KiB")
        void oversizedParameter() {
            String body = "grant_type=client_credentials&assertion=" + "x".repeat(16 * 1024 + 1);

            assertInvalidRequest(rejection(post().form(body)));
        }

        @Test
        @DisplayName("a deeply nested JSON body, without overflowing the stack")
        void deeplyNestedJson() {
            int depth = 30_000;
            String body = "{\"grant_type\":\"client_credentials\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";

            assertInvalidRequest(rejection(post().json(body)));
        }

        @Test
        @DisplayName("a body that is not valid UTF-8")
        void invalidUtf8() {
            byte[] body = "grant_type=client_credentials&client_id=\u00ff".getBytes(StandardCharsets.ISO_8859_1);

            assertInvalidRequest(rejection(post().contentType("application/x-www-form-urlencoded").body(body)));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"Basic !!!not-base64!!!", "Basic " + "bm8tY29sb24tYXQtYWxs", "Basic OnNlY3JldA==",
                "Basic aWQ6", "Basic", "Basic ", "Basic /w==", "Basic JXp6OnNlY3JldA=="})
        @DisplayName("a malformed Basic header (bad base64, no colon, empty id or secret, bad UTF-8 or escape)")
        void malformedBasic(String header) {
            // no-colon-at-all; ":secret"; "id:"; a lone 0xff byte; "%zz:secret"
            ApiError error = rejection(post().header("Authorization", header).form("grant_type=client_credentials"));

            assertInvalidRequest(error);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"Bearer eyJhbGciOiJub25lIn0.e30.", "Digest username=\"a\"", "Basicx aWQ6c2VjcmV0",
                "aWQ6c2VjcmV0"})
        @DisplayName("an Authorization header with another scheme than Basic, as a failed client authentication")
        void nonBasicScheme(String header) {
            ApiError error = rejection(post().header("Authorization", header).form("grant_type=client_credentials"));

            assertThat(error).isEqualTo(ApiError.of(OAuthError.invalidClient()));
        }
    }

    @Nested
    @DisplayName("a jwt-bearer assertion in an Authorization: Bearer header, as Frontier's clients send it")
    class BearerAssertion {

        private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
        private static final String ASSERTION = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

        @Test
        @DisplayName("is the assertion, with the grant type in a form body")
        void formBody() {
            TokenRequest request = parse(post().header("Authorization", "Bearer " + ASSERTION)
                    .form("grant_type=" + JWT_BEARER));

            assertThat(request.grantType()).isEqualTo(JWT_BEARER);
            assertThat(request.parameter("assertion")).contains(ASSERTION);
            assertThat(request.basicAuth()).isFalse();
        }

        @Test
        @DisplayName("is the assertion, with the grant type in a JSON body")
        void jsonBody() {
            TokenRequest request = parse(post().header("Authorization", "bearer  " + ASSERTION)
                    .json("{\"grant_type\":\"" + JWT_BEARER + "\"}"));

            assertThat(request.parameter("assertion")).contains(ASSERTION);
        }

        @Test
        @DisplayName("in the header and the body at once is 400 invalid_request")
        void bothPlaces() {
            ApiError error = rejection(post().header("Authorization", "Bearer " + ASSERTION)
                    .form("grant_type=" + JWT_BEARER + "&assertion=" + ASSERTION));

            assertThat(error.httpStatus()).isEqualTo(400);
            assertThat(error.error()).isEqualTo("invalid_request");
            assertThat(error.description()).doesNotContain(ASSERTION);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"Bearer", "Bearer ", "Bearer a.b", "Bearer a.b.c.d.e", "Bearer a..c", "Bearer a.b.",
                "Bearer a.b.c d", "Bearer a.b.c=", "Bearer opaque-token"})
        @DisplayName("that is not a three-part JWS is 400 invalid_request")
        void notACompactJws(String header) {
            ApiError error = rejection(post().header("Authorization", header).form("grant_type=" + JWT_BEARER));

            assertThat(error.httpStatus()).isEqualTo(400);
            assertThat(error.error()).isEqualTo("invalid_request");
        }

        @Test
        @DisplayName("with client_credentials stays 401 invalid_client")
        void withClientCredentials() {
            ApiError error = rejection(post().header("Authorization", "Bearer " + ASSERTION)
                    .form("grant_type=client_credentials"));

            assertThat(error).isEqualTo(ApiError.of(OAuthError.invalidClient()));
        }

        @Test
        @DisplayName("with an unknown grant type is 401 invalid_client, as any unsupported authentication")
        void withUnknownGrant() {
            ApiError error = rejection(post().header("Authorization", "Bearer " + ASSERTION)
                    .form("grant_type=password"));

            assertThat(error).isEqualTo(ApiError.of(OAuthError.invalidClient()));
        }
    }

    @Test
    @DisplayName("the token endpoint's URL is the configured base URL, else the host the request arrived on")
    void tokenEndpointUrl() {
        TokenRequest viaHost = parse(post().header("Host", "abc123.execute-api.eu-west-1.amazonaws.com")
                .form("grant_type=client_credentials"));
        TokenRequest configured = new TokenRequestParser(TestApis.application(new FakeCredentialStore()).grants(),
                Optional.of(java.net.URI.create("https://auth.example.com")), IssuerName.fixed(TestApis.ISSUER))
                .parse(post()
                .header("Host", "abc123.execute-api.eu-west-1.amazonaws.com")
                .form("grant_type=client_credentials").build());

        assertThat(viaHost.tokenEndpoint())
                .contains("https://abc123.execute-api.eu-west-1.amazonaws.com/v1beta1/auth/token");
        assertThat(configured.tokenEndpoint()).contains("https://auth.example.com/v1beta1/auth/token");
    }

    @Test
    @DisplayName("rejects a Content-Type other than JSON or form with 415")
    void unsupportedContentType() {
        ApiError error = rejection(post().contentType("text/plain").body("grant_type=client_credentials"));

        assertThat(error.httpStatus()).isEqualTo(415);
        assertThat(error.grpcCode()).isEqualTo(3);
        assertThat(error.error()).isEqualTo("invalid_request");
    }

    @Test
    @DisplayName("rejects a multipart body with 415")
    void multipartContentType() {
        ApiError error = rejection(post().contentType("multipart/form-data; boundary=x")
                .body("--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--x--"));

        assertThat(error.httpStatus()).isEqualTo(415);
    }

    @Test
    @DisplayName("never echoes the secret in an error description")
    void errorsDoNotEchoInput() {
        String secret = "do-not-echo-this-secret";
        ApiError twice = rejection(post().header("Authorization", basic(ID, secret))
                .form("grant_type=client_credentials&client_secret=" + secret));
        ApiError badJson = rejection(post().json("{\"client_secret\":\"" + secret + "\", oops"));
        ApiError badBasic = rejection(post().header("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)))
                .form("grant_type=client_credentials"));

        for (ApiError error : new ApiError[] {twice, badJson, badBasic}) {
            assertThat(error.message()).doesNotContain(secret);
            assertThat(error.description()).doesNotContain(secret);
        }
    }

    @Test
    @DisplayName("does not print the secret in the decoded request's toString")
    void toStringHidesSecret() {
        TokenRequest request = parse(post().header("Authorization", basic(ID, SECRET))
                .form("grant_type=client_credentials"));

        assertThat(request.toString()).doesNotContain(SECRET);
        assertThat(Optional.of(request).toString()).doesNotContain(SECRET);
    }
}
