package dev.tokenissuer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.grant.OAuthError;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.token.TokenSigningException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorResponsesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENSITIVE = "client_secret=hunter2 table arn:aws:dynamodb:eu-west-1:123:table/x";

    private static JsonNode body(HttpResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static AwsServiceException awsFault(int status, String errorCode) {
        return AwsServiceException.builder()
                .statusCode(status)
                .message(SENSITIVE)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(errorCode).errorMessage(SENSITIVE).build())
                .build();
    }

    @Test
    @DisplayName("the body has Frontier's code, message, details and RFC 6749's error, error_description")
    void bodyShape() throws Exception {
        HttpResponse response = ErrorResponses.toResponse(ApiError.invalidRequest("grant_type is required"));
        JsonNode body = body(response);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers()).containsEntry("Content-Type", "application/json");
        assertThat(body.properties()).extracting(entry -> entry.getKey())
                .containsExactly("code", "message", "details", "error", "error_description");
        assertThat(body.get("code").asInt()).isEqualTo(3);
        assertThat(body.get("message").asText()).isEqualTo("grant_type is required");
        assertThat(body.get("details").isArray()).isTrue();
        assertThat(body.get("details")).isEmpty();
        assertThat(body.get("error").asText()).isEqualTo("invalid_request");
        assertThat(body.get("error_description").asText()).isEqualTo("grant_type is required");
    }

    @Test
    @DisplayName("a 401 is Frontier's 'not authenticated' and asks for Basic credentials")
    void unauthenticated() throws Exception {
        HttpResponse response = ErrorResponses.toResponse(ApiError.of(OAuthError.invalidClient()));
        JsonNode body = body(response);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers()).containsEntry("WWW-Authenticate", "Basic realm=\"token-issuer\"");
        assertThat(body.get("code").asInt()).isEqualTo(16);
        assertThat(body.get("message").asText()).isEqualTo("not authenticated");
        assertThat(body.get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    @DisplayName("only a 401 carries WWW-Authenticate")
    void otherStatusesHaveNoChallenge() {
        for (ApiError error : List.of(ApiError.invalidRequest("x"), ApiError.of(OAuthError.serviceUserDisabled()),
                ApiError.notFound(), ApiError.internal(), ApiError.unavailable())) {
            assertThat(ErrorResponses.toResponse(error).headers()).doesNotContainKey("WWW-Authenticate");
        }
    }

    @Test
    @DisplayName("a 503 tells the client when to retry")
    void unavailableRetryAfter() throws Exception {
        HttpResponse response = ErrorResponses.toResponse(ApiError.unavailable());

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsKey("Retry-After");
        assertThat(Integer.parseInt(response.headers().get("Retry-After"))).isPositive();
        assertThat(body(response).get("code").asInt()).isEqualTo(14);
    }

    @Test
    @DisplayName("error responses are not cached")
    void notCached() {
        HttpResponse response = ErrorResponses.toResponse(ApiError.of(OAuthError.invalidClient()));

        assertThat(response.headers()).containsEntry("Cache-Control", "no-store").containsEntry("Pragma", "no-cache");
    }

    @Test
    @DisplayName("a 403 for a disabled service user is code 7")
    void disabled() throws Exception {
        HttpResponse response = ErrorResponses.toResponse(ApiError.of(OAuthError.serviceUserDisabled()));

        assertThat(response.status()).isEqualTo(403);
        assertThat(body(response).get("code").asInt()).isEqualTo(7);
    }

    @Test
    @DisplayName("an answer we chose is kept, even wrapped in another exception")
    void classifiesApiException() {
        ApiException api = new ApiException(ApiError.of(OAuthError.invalidClient()));

        assertThat(ErrorResponses.classify(api)).isEqualTo(ApiError.of(OAuthError.invalidClient()));
        assertThat(ErrorResponses.classify(new RuntimeException("wrapper", api))).isEqualTo(ApiError.of(OAuthError.invalidClient()));
    }

    @Test
    @DisplayName("no answer from AWS in time (SdkClientException) is 503")
    void clientExceptionIsUnavailable() {
        SdkClientException timeout = SdkClientException.create("Unable to execute HTTP request: Read timed out");

        assertThat(ErrorResponses.classify(timeout)).isEqualTo(ApiError.unavailable());
        assertThat(ErrorResponses.classify(new TokenSigningException(timeout))).isEqualTo(ApiError.unavailable());
    }

    @Test
    @DisplayName("an AWS 5xx is 503")
    void serverFaultIsUnavailable() {
        assertThat(ErrorResponses.classify(awsFault(500, "InternalFailure"))).isEqualTo(ApiError.unavailable());
        assertThat(ErrorResponses.classify(awsFault(503, "ServiceUnavailable"))).isEqualTo(ApiError.unavailable());
        assertThat(ErrorResponses.classify(KmsException.builder().statusCode(500).message(SENSITIVE).build()))
                .isEqualTo(ApiError.unavailable());
    }

    @Test
    @DisplayName("AWS throttling is 503, whether by status 429 or by a 400 throttling error code")
    void throttlingIsUnavailable() {
        assertThat(ErrorResponses.classify(awsFault(429, "TooManyRequestsException")))
                .isEqualTo(ApiError.unavailable());
        assertThat(ErrorResponses.classify(awsFault(400, "ThrottlingException"))).isEqualTo(ApiError.unavailable());
        assertThat(ErrorResponses.classify(ProvisionedThroughputExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build())
                .build())).isEqualTo(ApiError.unavailable());
    }

    @Test
    @DisplayName("an AWS 4xx (access denied, missing table or key) is our fault: 500")
    void clientFaultIsInternal() {
        assertThat(ErrorResponses.classify(awsFault(400, "AccessDeniedException"))).isEqualTo(ApiError.internal());
        assertThat(ErrorResponses.classify(DynamoDbException.builder().statusCode(400).message(SENSITIVE)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build())
                .build())).isEqualTo(ApiError.internal());
        assertThat(ErrorResponses.classify(awsFault(403, "AccessDenied"))).isEqualTo(ApiError.internal());
    }

    @Test
    @DisplayName("an unexpected failure is 500 with exactly code 13 'internal server error' and none of its message")
    void unknownFailure() throws Exception {
        for (Throwable failure : List.of(new IllegalStateException(SENSITIVE), new NullPointerException(SENSITIVE),
                new StackOverflowError(SENSITIVE), awsFault(400, "ValidationException"))) {
            HttpResponse response = ErrorResponses.toResponse(ErrorResponses.classify(failure));
            JsonNode body = body(response);

            assertThat(response.status()).isEqualTo(500);
            assertThat(body.get("code").asInt()).isEqualTo(13);
            assertThat(body.get("message").asText()).isEqualTo("internal server error");
            assertThat(body.get("details")).isEmpty();
            assertThat(response.body()).doesNotContain("hunter2").doesNotContain("arn:aws");
        }
    }

    @Test
    @DisplayName("a 503 body says nothing of the AWS error either")
    void unavailableBodyHidesCause() {
        HttpResponse response = ErrorResponses.toResponse(ErrorResponses.classify(awsFault(500, "InternalFailure")));

        assertThat(response.body()).doesNotContain("hunter2").doesNotContain("arn:aws").doesNotContain("Internal");
    }
}
