package dev.tokenissuer.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tokenissuer.api.ApiError;
import dev.tokenissuer.api.ErrorResponses;
import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The Lambda entry point. It only translates: API Gateway event in, {@link TokenIssuerApi} call, event response
 * out. The API and its SDK clients are built once, when Lambda creates the handler for a new container.
 */
public final class TokenIssuerHandler implements RequestStreamHandler {

    private final TokenIssuerApi api;

    public TokenIssuerHandler() {
        this(TokenIssuerApplication.fromEnvironment());
    }

    public TokenIssuerHandler(TokenIssuerApi api) {
        this.api = api;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayEvents.Event event;
        HttpResponse response;
        try {
            event = ApiGatewayEvents.read(input);
            response = api.handle(event.request());
        } catch (IOException | IllegalArgumentException e) {
            // Not an API Gateway event at all: nothing a client can send through API Gateway gets here.
            event = new ApiGatewayEvents.Event(new HttpRequest("", "", Map.of(), null),
                    ApiGatewayEvents.Format.HTTP_API_V2);
            response = ErrorResponses.toResponse(ApiError.invalidRequest("the event is not an API Gateway request"));
        }
        output.write(ApiGatewayEvents.write(event, response));
    }
}
