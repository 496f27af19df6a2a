package dev.tokenissuer.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import dev.tokenissuer.http.HttpRequest;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decodes a token request from a JSON or form body and an optional {@code Authorization: Basic} header.
 *
 * <p>Stricter than Frontier where RFC 6749 asks for it: {@code grant_type} is required, a parameter may appear only
 * once, and credentials may come in one way only (§2.3).
 */
public final class TokenRequestParser {

    /** Far above any real request (a 4 KiB assertion fits many times) and far below API Gateway's limit. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_PARAMETER_CHARS = 16 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public TokenRequest parse(HttpRequest request) {
        Map<String, String> params = bodyParameters(request);
        Optional<BasicCredentials> basic = basicCredentials(request);

        String grantType = params.get("grant_type");
        if (grantType == null) {
            throw new ApiException(ApiError.invalidRequest("grant_type is required"));
        }
        Optional<String> clientId = Optional.ofNullable(params.get("client_id"));
        Optional<String> clientSecret = Optional.ofNullable(params.get("client_secret"));
        if (basic.isPresent()) {
            if (clientSecret.isPresent()) {
                throw new ApiException(ApiError.invalidRequest(
                        "client credentials must be sent in one way only, the Authorization header or the body"));
            }
            if (clientId.isPresent() && !clientId.get().equals(basic.get().clientId())) {
                throw new ApiException(ApiError.invalidRequest(
                        "client_id in the body does not match the Authorization header"));
            }
            clientId = Optional.of(basic.get().clientId());
            clientSecret = Optional.of(basic.get().clientSecret());
        }
        return new TokenRequest(grantType, clientId, clientSecret, Optional.ofNullable(params.get("assertion")));
    }

    private Map<String, String> bodyParameters(HttpRequest request) {
        byte[] body = request.body();
        if (body.length == 0) {
            throw new ApiException(ApiError.invalidRequest("the request body is empty"));
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException(ApiError.invalidRequest("the request body is too large"));
        }
        String text = utf8(body);
        String mediaType = request.header("Content-Type")
                .map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .orElse("");
        if (mediaType.equals("application/x-www-form-urlencoded")) {
            return formParameters(text);
        }
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            return jsonParameters(text);
        }
        if (mediaType.isEmpty()) {
            // Frontier's gRPC gateway reads JSON without a Content-Type; keep those clients working.
            return text.stripLeading().startsWith("{") ? jsonParameters(text) : formParameters(text);
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
            throw new ApiException(ApiError.invalidRequest("the request body is not valid UTF-8"));
        }
    }

    private static Map<String, String> jsonParameters(String text) {
        Map<String, String> params = new HashMap<>();
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ApiException(ApiError.invalidRequest("the request body must be a JSON object"));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING) {
                    put(params, name, parser.getText());
                } else if (value == JsonToken.VALUE_NULL) {
                    continue;
                } else if (isKnown(name)) {
                    throw new ApiException(ApiError.invalidRequest(name + " must be a string"));
                } else {
                    // Unknown parameters are ignored (RFC 6749 §3.2), whatever their type.
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new ApiException(ApiError.invalidRequest("the request body is not valid JSON"));
            }
        } catch (IOException e) {
            // Jackson's message quotes the input; ours must not.
            throw new ApiException(ApiError.invalidRequest("the request body is not valid JSON"));
        }
        return params;
    }

    private static Map<String, String> formParameters(String text) {
        Map<String, String> params = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = formDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1));
            if (!seen.add(name)) {
                throw new ApiException(ApiError.invalidRequest("a parameter appears more than once"));
            }
            put(params, name, value);
        }
        return params;
    }

    private static void put(Map<String, String> params, String name, String value) {
        if (value.length() > MAX_PARAMETER_CHARS) {
            throw new ApiException(ApiError.invalidRequest("a parameter is too long"));
        }
        if (!value.isEmpty()) {
            params.put(name, value);
        }
    }

    private static boolean isKnown(String name) {
        return switch (name) {
            case "grant_type", "client_id", "client_secret", "assertion", "scope" -> true;
            default -> false;
        };
    }

    private static String formDecode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiError.invalidRequest("the request body is not a valid form"));
        }
    }

    private record BasicCredentials(String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "BasicCredentials[clientId=" + clientId + "]";
        }
    }

    private static Optional<BasicCredentials> basicCredentials(HttpRequest request) {
        Optional<String> header = request.header("Authorization");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.equalsIgnoreCase("Basic")) {
            // Another authentication method than the one we support: a client authentication failure (RFC 6749 §5.2).
            throw new ApiException(ApiError.invalidClient());
        }
        String decoded;
        try {
            decoded = utf8(Base64.getDecoder().decode(space < 0 ? "" : value.substring(space + 1).trim()));
        } catch (IllegalArgumentException | ApiException e) {
            throw new ApiException(ApiError.invalidRequest("the Authorization header is not valid Basic credentials"));
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new ApiException(ApiError.invalidRequest("the Authorization header is not valid Basic credentials"));
        }
        // RFC 6749 §2.3.1: the id and secret are form-urlencoded before they are joined and base64-encoded.
        String clientId;
        String clientSecret;
        try {
            clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            clientSecret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiError.invalidRequest("the Authorization header is not valid Basic credentials"));
        }
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw new ApiException(ApiError.invalidRequest("the Authorization header is not valid Basic credentials"));
        }
        return Optional.of(new BasicCredentials(clientId, clientSecret));
    }
}
