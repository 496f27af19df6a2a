package dev.tokenissuer.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.tokenissuer.grant.CompactJws;
import dev.tokenissuer.grant.DpopProofs;
import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.grant.OAuthError;
import dev.tokenissuer.grant.OAuthException;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpRequest;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decodes a token request from a JSON or form body and an optional {@code Authorization: Basic} header.
 *
 * <p>Stricter than Frontier where RFC 6749 asks for it: {@code grant_type} is required, a parameter may appear only
 * once, and credentials may come in one way only (§2.3). The grants' repeatable parameters (RFC 8707's
 * {@code resource}) may appear several times in a form, and as a string or an array of strings in JSON; their empty
 * values are kept, for the grant to refuse.
 */
public final class TokenRequestParser {

    /** Far above any real request (a 4 KiB assertion fits many times) and far below API Gateway's limit. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_PARAMETER_CHARS = 16 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Grants grants;
    private final Set<String> knownParameters;
    private final Set<String> repeatableParameters;
    private final Optional<URI> publicBaseUrl;
    private final IssuerName issuer;

    /**
     * @param grants        the registered grants: the parameters they read, and where a Bearer header may go
     * @param publicBaseUrl the configured public base URL, from which the token endpoint's URL derives
     * @param issuer        the issuer of each request's token
     */
    public TokenRequestParser(Grants grants, Optional<URI> publicBaseUrl, IssuerName issuer) {
        this.grants = grants;
        this.knownParameters = grants.parameters();
        this.repeatableParameters = grants.repeatableParameters();
        this.publicBaseUrl = publicBaseUrl;
        this.issuer = issuer;
    }

    public TokenRequest parse(HttpRequest request) {
        Map<String, List<String>> repeated = new HashMap<>();
        Map<String, String> params = bodyParameters(request, repeated);
        params.remove(TokenRequest.BASIC_SECRET_AS_SENT);
        Authorization authorization = authorization(request);

        String grantType = params.remove(TokenRequest.GRANT_TYPE);
        if (grantType == null) {
            throw OAuthError.invalidRequest("grant_type is required").exception();
        }
        if (authorization instanceof BasicCredentials basic) {
            if (params.containsKey(TokenRequest.CLIENT_SECRET)) {
                throw OAuthError.invalidRequest(
                        "client credentials must be sent in one way only, the Authorization header or the body")
                        .exception();
            }
            String bodyClientId = params.get(TokenRequest.CLIENT_ID);
            if (bodyClientId != null && !bodyClientId.equals(basic.clientId())) {
                throw OAuthError.invalidRequest("client_id in the body does not match the Authorization header")
                        .exception();
            }
            params.put(TokenRequest.CLIENT_ID, basic.clientId());
            params.put(TokenRequest.CLIENT_SECRET, basic.clientSecret());
            basic.secretAsSent().ifPresent(raw -> params.put(TokenRequest.BASIC_SECRET_AS_SENT, raw));
        } else if (authorization instanceof BearerToken bearer) {
            putBearer(params, grantType, bearer);
        }
        Optional<String> base = PublicBaseUrl.of(request, publicBaseUrl);
        return new TokenRequest(grantType, params, authorization instanceof BasicCredentials,
                base.map(url -> url + Endpoints.TOKEN_PATH), Optional.of(issuer.of(base)),
                request.header(DpopProofs.HEADER), request.method(), repeated);
    }

    /**
     * A Bearer header goes to the parameter its grant names (Frontier's clients send their assertion so). With a grant
     * that takes none, it is an authentication method we do not support: 401 (RFC 6749 §5.2).
     */
    private void putBearer(Map<String, String> params, String grantType, BearerToken bearer) {
        String parameter = grants.bearerParameter(grantType).orElseThrow(() -> OAuthError.invalidClient().exception());
        if (params.containsKey(parameter)) {
            throw OAuthError.invalidRequest(
                    parameter + " must be sent in one way only, the Authorization header or the body").exception();
        }
        if (!CompactJws.isCompactJws(bearer.token())) {
            throw OAuthError.invalidRequest("the Authorization header does not carry a signed JWT").exception();
        }
        params.put(parameter, bearer.token());
    }

    /** The body's parameters given once; those that may repeat go into {@code repeated}. */
    private Map<String, String> bodyParameters(HttpRequest request, Map<String, List<String>> repeated) {
        byte[] body = request.body();
        if (body.length == 0) {
            throw OAuthError.invalidRequest("the request body is empty").exception();
        }
        if (body.length > MAX_BODY_BYTES) {
            throw OAuthError.invalidRequest("the request body is too large").exception();
        }
        String text = utf8(body);
        String mediaType = request.header("Content-Type")
                .map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .orElse("");
        if (mediaType.equals("application/x-www-form-urlencoded")) {
            return formParameters(text, repeated);
        }
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            return jsonParameters(text, repeated);
        }
        if (mediaType.isEmpty()) {
            // Frontier's gRPC gateway reads JSON without a Content-Type; keep those clients working.
            return text.stripLeading().startsWith("{") ? jsonParameters(text, repeated) : formParameters(text, repeated);
        }
        throw new ApiException(ApiError.unsupportedMediaType());
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw OAuthError.invalidRequest("the request body is not valid UTF-8").exception();
        }
    }

    private Map<String, String> jsonParameters(String text, Map<String, List<String>> repeated) {
        Map<String, String> params = new HashMap<>();
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw OAuthError.invalidRequest("the request body must be a JSON object").exception();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (repeatableParameters.contains(name) && value != JsonToken.VALUE_NULL) {
                    repeated.put(name, stringOrArray(parser, name, value));
                } else if (value == JsonToken.VALUE_STRING) {
                    put(params, name, parser.getText());
                } else if (value == JsonToken.VALUE_NULL) {
                    continue;
                } else if (isKnown(name)) {
                    throw OAuthError.invalidRequest(name + " must be a string").exception();
                } else {
                    // Unknown parameters are ignored (RFC 6749 §3.2), whatever their type.
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw OAuthError.invalidRequest("the request body is not valid JSON").exception();
            }
        } catch (IOException e) {
            // Jackson's message quotes the input; ours must not.
            throw OAuthError.invalidRequest("the request body is not valid JSON").exception();
        }
        return params;
    }

    /** A repeatable parameter's JSON value: a string or an array of strings. */
    private static List<String> stringOrArray(JsonParser parser, String name, JsonToken value) throws IOException {
        List<String> values = new ArrayList<>();
        if (value == JsonToken.VALUE_STRING) {
            values.add(bounded(parser.getText()));
            return values;
        }
        if (value != JsonToken.START_ARRAY) {
            throw OAuthError.invalidRequest(name + " must be a string or an array of strings").exception();
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw OAuthError.invalidRequest(name + " must be a string or an array of strings").exception();
            }
            values.add(bounded(parser.getText()));
        }
        return values;
    }

    private Map<String, String> formParameters(String text, Map<String, List<String>> repeated) {
        Map<String, String> params = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = formDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1));
            if (repeatableParameters.contains(name)) {
                repeated.computeIfAbsent(name, n -> new ArrayList<>()).add(bounded(value));
                continue;
            }
            if (!seen.add(name)) {
                throw OAuthError.invalidRequest("a parameter appears more than once").exception();
            }
            put(params, name, value);
        }
        return params;
    }

    private static void put(Map<String, String> params, String name, String value) {
        if (!bounded(value).isEmpty()) {
            params.put(name, value);
        }
    }

    private static String bounded(String value) {
        if (value.length() > MAX_PARAMETER_CHARS) {
            throw OAuthError.invalidRequest("a parameter is too long").exception();
        }
        return value;
    }

    private boolean isKnown(String name) {
        return knownParameters.contains(name);
    }

    private static String formDecode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("the request body is not a valid form").exception();
        }
    }

    /** What an {@code Authorization} header carried. */
    private sealed interface Authorization permits NoAuthorization, BasicCredentials, BearerToken {
    }

    private record NoAuthorization() implements Authorization {
    }

    /** @param secretAsSent the secret before form-decoding, when that changed it (see TokenRequest) */
    private record BasicCredentials(String clientId, String clientSecret, Optional<String> secretAsSent)
            implements Authorization {
        @Override
        public String toString() {
            return "BasicCredentials[clientId=" + clientId + "]";
        }
    }

    private record BearerToken(String token) implements Authorization {
        @Override
        public String toString() {
            return "BearerToken[redacted]";
        }
    }

    private static Authorization authorization(HttpRequest request) {
        Optional<String> header = request.header("Authorization");
        if (header.isEmpty()) {
            return new NoAuthorization();
        }
        String value = header.get().trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (scheme.equalsIgnoreCase("Bearer")) {
            return new BearerToken(space < 0 ? "" : value.substring(space + 1).trim());
        }
        if (!scheme.equalsIgnoreCase("Basic")) {
            // Another authentication method than the ones we support: a client authentication failure (RFC 6749 §5.2).
            throw OAuthError.invalidClient().exception();
        }
        String decoded;
        try {
            decoded = utf8(Base64.getDecoder().decode(space < 0 ? "" : value.substring(space + 1).trim()));
        } catch (IllegalArgumentException | OAuthException e) {
            throw OAuthError.invalidRequest("the Authorization header is not valid Basic credentials").exception();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw OAuthError.invalidRequest("the Authorization header is not valid Basic credentials").exception();
        }
        // RFC 6749 §2.3.1: the id and secret are form-urlencoded before they are joined and base64-encoded.
        String clientId;
        String clientSecret;
        try {
            clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            clientSecret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("the Authorization header is not valid Basic credentials").exception();
        }
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw OAuthError.invalidRequest("the Authorization header is not valid Basic credentials").exception();
        }
        String secretAsSent = decoded.substring(colon + 1);
        return new BasicCredentials(clientId, clientSecret,
                secretAsSent.equals(clientSecret) ? Optional.empty() : Optional.of(secretAsSent));
    }
}
