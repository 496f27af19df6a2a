package floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.nimbusds.jose.crypto.impl.ECDSA;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * The floor {@code make bench} compares the function with: the work no token endpoint on Lambda can skip, and nothing
 * else. Read the API Gateway event (Jackson's streaming parser), one strongly consistent DynamoDB {@code GetItem} of
 * the credential item, one KMS {@code Sign} (DIGEST) of a token of the function's shape, write the response. The same
 * layer (SDK, URL-connection HTTP client, Jackson, Nimbus) and the same client settings as {@code aws/AwsClients}.
 *
 * <p>Not deployed: {@code scripts/lambda_rie.py bench} compiles it against the built layer. It checks no secret (a
 * salted SHA-256, microseconds), keeps no key cache and logs nothing: a lower bound, not a product.
 */
public final class FloorHandler implements RequestStreamHandler {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    // A kid of the function's length (a KMS key id, a UUID), fixed: the floor does not read the key.
    private static final String KID = "00000000-0000-4000-8000-000000000000";

    private final DynamoDbClient dynamo;
    private final KmsClient kms;
    private final String table;
    private final String keyId;
    private final String issuer;
    private final long ttlSeconds;
    private final boolean ecdsa;
    private final String alg;
    private final SigningAlgorithmSpec signingAlgorithm;
    private final String digestAlgorithm;

    public FloorHandler() {
        Map<String, String> env = System.getenv();
        Duration callTimeout = Duration.ofMillis(Long.parseLong(env.getOrDefault("AWS_CALL_TIMEOUT_MILLIS", "3000")));
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(callTimeout.dividedBy(3))
                .socketTimeout(callTimeout)
                .build();
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder()
                .apiCallTimeout(callTimeout)
                .apiCallAttemptTimeout(callTimeout.dividedBy(2))
                .build();
        String endpoint = env.get("AWS_ENDPOINT_URL");
        var dynamoBuilder = DynamoDbClient.builder().httpClient(http).overrideConfiguration(overrides);
        var kmsBuilder = KmsClient.builder().httpClient(http).overrideConfiguration(overrides);
        if (endpoint != null && !endpoint.isBlank()) {
            dynamoBuilder.endpointOverride(URI.create(endpoint));
            kmsBuilder.endpointOverride(URI.create(endpoint));
        }
        dynamo = dynamoBuilder.build();
        kms = kmsBuilder.build();
        table = env.get("TABLE_NAME");
        keyId = env.get("SIGNING_KEY_ID");
        issuer = env.getOrDefault("TOKEN_ISSUER", "https://abc123.execute-api.us-east-1.amazonaws.com");
        ttlSeconds = Long.parseLong(env.getOrDefault("TOKEN_TTL_SECONDS", "3600"));
        String spec = env.getOrDefault("FLOOR_KEY_SPEC", "RSA_2048");
        ecdsa = spec.startsWith("ECC_");
        boolean p384 = spec.equals("ECC_NIST_P384");
        alg = ecdsa ? (p384 ? "ES384" : "ES256") : "RS256";
        signingAlgorithm = ecdsa ? (p384 ? SigningAlgorithmSpec.ECDSA_SHA_384 : SigningAlgorithmSpec.ECDSA_SHA_256)
                : SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256;
        digestAlgorithm = p384 ? "SHA-384" : "SHA-256";
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String clientId = clientId(input);
        Map<String, AttributeValue> item = clientId == null ? Map.of() : dynamo.getItem(r -> r
                .tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("secret#" + clientId)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            respond(output, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        respond(output, 200, "{\"access_token\":\"" + token(clientId) + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + ttlSeconds + "}");
    }

    /** The client id from an HTTP API or REST API event: the form body's client_id, else Basic's user name. */
    private static String clientId(InputStream input) throws IOException {
        String body = null;
        String authorization = null;
        boolean base64 = false;
        try (JsonParser parser = JSON.createParser(input)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("body") && value == JsonToken.VALUE_STRING) {
                    body = parser.getText();
                } else if (field.equals("isBase64Encoded")) {
                    base64 = value == JsonToken.VALUE_TRUE;
                } else if (field.equals("headers") && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        parser.nextToken();
                        if (name.equalsIgnoreCase("authorization")) {
                            authorization = parser.getText();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        if (body != null) {
            String form = base64 ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
            for (String pair : form.split("&")) {
                if (pair.startsWith("client_id=")) {
                    return URLDecoder.decode(pair.substring("client_id=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null : URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
        }
        return null;
    }

    /** A JWS of the function's shape (header with kid; iss, sub, org, iat, nbf, exp, jti), signed by KMS. */
    private String token(String subject) throws IOException {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"" + alg + "\",\"kid\":\"" + KID + "\",\"typ\":\"JWT\"}";
        ByteArrayOutputStream claims = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(claims)) {
            json.writeStartObject();
            json.writeStringField("iss", issuer);
            json.writeStringField("sub", subject);
            json.writeStringField("org", subject);
            json.writeNumberField("iat", now);
            json.writeNumberField("nbf", now);
            json.writeNumberField("exp", now + ttlSeconds);
            json.writeStringField("jti", UUID.randomUUID().toString());
            json.writeEndObject();
        }
        String signingInput = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.toByteArray());
        byte[] digest;
        try {
            digest = MessageDigest.getInstance(digestAlgorithm).digest(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] signature = kms.sign(r -> r
                .keyId(keyId)
                .messageType(MessageType.DIGEST)
                .message(SdkBytes.fromByteArrayUnsafe(digest))
                .signingAlgorithm(signingAlgorithm)).signature().asByteArrayUnsafe();
        if (ecdsa) {
            try {
                signature = ECDSA.transcodeSignatureToConcat(signature, alg.equals("ES384") ? 96 : 64);
            } catch (com.nimbusds.jose.JOSEException e) {
                throw new IOException(e);
            }
        }
        return signingInput + "." + B64URL.encodeToString(signature);
    }

    private static void respond(OutputStream output, int status, String body) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(output)) {
            json.writeStartObject();
            json.writeNumberField("statusCode", status);
            json.writeObjectFieldStart("headers");
            json.writeStringField("Content-Type", "application/json");
            json.writeStringField("Cache-Control", "no-store");
            json.writeEndObject();
            json.writeStringField("body", body);
            json.writeBooleanField("isBase64Encoded", false);
            json.writeEndObject();
        }
    }
}
