package dev.tokenissuer.grant.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.grant.RefusalReason;
import dev.tokenissuer.grant.TokenRequest;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AWS subject token ({@code urn:ietf:params:aws:token-type:aws4_request}), decoded and held to every rule that
 * needs no I/O: the URL-encoded JSON of a SigV4-signed STS GetCallerIdentity request, as Google's STS client
 * libraries build it ({@code url}, {@code method}, {@code headers} as {@code {key, value}} pairs, {@code body}).
 * What is forwarded is built from one of our {@link StsEndpoints} and the fixed GetCallerIdentity query; the client
 * contributes the signed headers and the body only.
 *
 * @param endpoint  the STS endpoint it will be sent to, {@code scheme://host[:port]}
 * @param method    GET or POST
 * @param query     the query string to send: empty, or the one that names GetCallerIdentity
 * @param headers   the headers to forward (lower-case names): Authorization and the signed ones but host
 * @param body      the body to forward, possibly empty
 * @param signature the SigV4 signature, hex: what makes this request single use
 * @param signedAt  x-amz-date
 */
record SignedCallerIdentityRequest(String endpoint, String method, String query, Map<String, String> headers,
                                   byte[] body, String signature, Instant signedAt) {

    /** The header that binds the request to this service, as Google's {@code x-goog-cloud-target-resource} does. */
    static final String AUDIENCE_HEADER = "x-token-issuer-audience";
    /** SigV4's window: STS refuses a request whose x-amz-date is further than this from its clock. */
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int MAX_TOKEN_CHARS = 8 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ACTION = Map.of("Action", "GetCallerIdentity", "Version", "2011-06-15");
    private static final String ACTION_QUERY = "Action=GetCallerIdentity&Version=2011-06-15";
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^,\\s]+),\\s*SignedHeaders=([a-z0-9;\\-]+),\\s*Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** Headers the HTTP client sets itself from the request; forwarding them would be refused or conflict. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection",
            "transfer-encoding", "expect");

    /**
     * Decodes {@code subjectToken} and checks it against {@code endpoints}, this request's audiences and {@code now}.
     *
     * @throws dev.tokenissuer.grant.OAuthException {@code invalid_request} naming what is wrong with its form
     */
    static SignedCallerIdentityRequest of(String subjectToken, StsEndpoints endpoints, TokenRequest request,
                                          Instant now) {
        JsonNode json = decode(subjectToken);
        URI url = uri(text(json, "url"));
        String endpoint = endpoints.match(url).orElseThrow(() -> ExchangeRefusals.refused(
                "subject_token must be a request to an STS endpoint of this service's partition",
                RefusalReason.AWS_URL_NOT_STS));
        String method = text(json, "method").toUpperCase(Locale.ROOT);
        byte[] body = json.hasNonNull("body") ? text(json, "body").getBytes(StandardCharsets.UTF_8) : new byte[0];
        String query = checkAction(url, method, body);
        Map<String, String> headers = headers(json.get("headers"));
        // botocore's SigV4Auth signs host from the URL without adding the header; the URL is one of ours by now.
        headers.putIfAbsent("host", StsEndpoints.hostHeader(endpoint));

        String authorization = headers.get("authorization");
        if (authorization == null) {
            throw ExchangeRefusals.refused("subject_token must be a SigV4-signed request",
                    RefusalReason.AWS_REQUEST_UNSIGNED);
        }
        Matcher signed = AUTHORIZATION.matcher(authorization);
        if (!signed.matches() || !credentialScopeIsSts(signed.group(1))) {
            throw ExchangeRefusals.refused("subject_token must be a SigV4-signed request to STS",
                    RefusalReason.AWS_REQUEST_UNSIGNED);
        }
        Set<String> signedHeaders = Set.of(signed.group(2).split(";"));
        if (!signedHeaders.containsAll(Set.of("host", "x-amz-date", AUDIENCE_HEADER))) {
            throw ExchangeRefusals.refused("the request must sign host, x-amz-date and " + AUDIENCE_HEADER,
                    RefusalReason.AWS_HEADER_NOT_SIGNED);
        }
        if (!signedHeaders.stream().allMatch(headers::containsKey)) {
            throw ExchangeRefusals.malformed("subject_token lacks a header it signed");
        }
        if (!StsEndpoints.hostHeader(endpoint).equalsIgnoreCase(headers.get("host"))) {
            throw ExchangeRefusals.refused(
                    "subject_token must be a request to an STS endpoint of this service's partition",
                    RefusalReason.AWS_URL_NOT_STS);
        }
        String audience = headers.get(AUDIENCE_HEADER);
        if (!audience.equals(request.tokenEndpoint().orElse(null)) && !audience.equals(request.issuer().orElse(null))) {
            throw ExchangeRefusals.refused(AUDIENCE_HEADER + " must be this service's token endpoint URL or issuer",
                    RefusalReason.AWS_WRONG_AUDIENCE);
        }
        Instant signedAt = amzDate(headers.get("x-amz-date"));
        if (Duration.between(signedAt, now).abs().compareTo(WINDOW) > 0) {
            throw ExchangeRefusals.refused("the request was signed more than 15 minutes from now",
                    RefusalReason.AWS_DATE_EXPIRED);
        }
        Map<String, String> forwarded = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!NOT_FORWARDED.contains(name) && (name.equals("authorization") || signedHeaders.contains(name))) {
                forwarded.put(name, value);
            }
        });
        return new SignedCallerIdentityRequest(endpoint, method, query, forwarded, body, signed.group(3), signedAt);
    }

    /** The URL to send to: ours, never the client's. */
    URI target() {
        return URI.create(endpoint + "/" + (query.isEmpty() ? "" : "?" + query));
    }

    /** Google's libraries URL-encode the JSON; a client that sends it plain is read as well. */
    private static JsonNode decode(String subjectToken) {
        if (subjectToken.length() > MAX_TOKEN_CHARS) {
            throw ExchangeRefusals.malformed("subject_token is too large");
        }
        try {
            String json = subjectToken.startsWith("{") ? subjectToken
                    : URLDecoder.decode(subjectToken, StandardCharsets.UTF_8);
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw ExchangeRefusals.malformed("subject_token must be the URL-encoded JSON of a signed request");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw ExchangeRefusals.malformed("subject_token must be the URL-encoded JSON of a signed request");
        }
    }

    private static String text(JsonNode json, String member) {
        JsonNode value = json.get(member);
        if (value == null || !value.isTextual()) {
            throw ExchangeRefusals.malformed("subject_token must have a string " + member);
        }
        return value.asText();
    }

    private static URI uri(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw ExchangeRefusals.refused("subject_token must be a request to an STS endpoint of this service's"
                    + " partition", RefusalReason.AWS_URL_NOT_STS);
        }
    }

    /**
     * The action must be GetCallerIdentity, in the query or in a form body, and nothing else; the path is {@code /}.
     * Returns the query to send.
     */
    private static String checkAction(URI url, String method, byte[] body) {
        boolean rootPath = url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/");
        Map<String, String> inQuery = form(url.getRawQuery());
        Map<String, String> inBody = form(new String(body, StandardCharsets.UTF_8));
        boolean getCallerIdentity = (inQuery.equals(ACTION) && (inBody.isEmpty() || inBody.equals(ACTION)))
                || (inQuery.isEmpty() && inBody.equals(ACTION) && method.equals("POST"));
        if (!rootPath || !getCallerIdentity || !(method.equals("POST") || method.equals("GET"))) {
            throw ExchangeRefusals.refused("subject_token must be an STS GetCallerIdentity request",
                    RefusalReason.AWS_URL_NOT_STS);
        }
        // SigV4 signs the query in canonical form (sorted, re-encoded), which these two parameters have: the fixed
        // query is the one the client signed, however it wrote it.
        return inQuery.isEmpty() ? "" : ACTION_QUERY;
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (values.put(name, value) != null) {
                values.put("", "repeated");
            }
        }
        return values;
    }

    private static Map<String, String> headers(JsonNode list) {
        if (list == null || !list.isArray() || list.size() > 32) {
            throw ExchangeRefusals.malformed("subject_token must have headers as a list of {key, value}");
        }
        Map<String, String> headers = new HashMap<>();
        for (JsonNode header : list) {
            if (!header.isObject()) {
                throw ExchangeRefusals.malformed("subject_token must have headers as a list of {key, value}");
            }
            String name = text(header, "key").toLowerCase(Locale.ROOT).strip();
            String value = text(header, "value");
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || headers.put(name, value) != null) {
                throw ExchangeRefusals.malformed("subject_token has a header twice or a header with a line break");
            }
        }
        return headers;
    }

    /** Credential=AKID/DATE/REGION/sts/aws4_request. */
    private static boolean credentialScopeIsSts(String credential) {
        List<String> parts = List.of(credential.split("/"));
        return parts.size() == 5 && parts.get(3).equals("sts") && parts.get(4).equals("aws4_request");
    }

    private static Instant amzDate(String value) {
        try {
            return Instant.from(AMZ_DATE.parse(value));
        } catch (DateTimeParseException e) {
            throw ExchangeRefusals.malformed("x-amz-date must be a SigV4 date (yyyyMMddTHHmmssZ)");
        }
    }

    @Override
    public String toString() {
        return "SignedCallerIdentityRequest[endpoint=" + endpoint + "]";
    }
}
