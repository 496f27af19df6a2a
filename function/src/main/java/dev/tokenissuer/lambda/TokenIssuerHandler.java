package dev.tokenissuer.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tokenissuer.api.ApiError;
import dev.tokenissuer.api.ErrorResponses;
import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;
import org.crac.Core;
import org.crac.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The Lambda entry point. It only translates: API Gateway event in, {@link TokenIssuerApi} call, event response
 * out. The API and its SDK clients are built once, when Lambda creates the handler for a new container, which
 * also registers the SnapStart priming hook ({@link SnapStartPriming}).
 */
public final class TokenIssuerHandler implements RequestStreamHandler {

    /** Lambda's AWS_LAMBDA_INITIALIZATION_TYPE while it initializes a version for a SnapStart snapshot. */
    static final String SNAP_START = "snap-start";

    private final TokenIssuerApi api;
    /** Held here because CRaC contexts (Lambda's too) hold their resources only weakly. Null around a given API. */
    private final Resource priming;

    /** What Lambda calls, once per container: configuration from the environment, SnapStart priming registered. */
    public TokenIssuerHandler() {
        this(IssuerConfig.fromEnvironment(), Core.getGlobalContext());
    }

    TokenIssuerHandler(IssuerConfig config, org.crac.Context<Resource> crac) {
        TokenIssuerApplication.Clients clients = TokenIssuerApplication.Clients.from(config);
        TokenIssuerApplication.Application application = TokenIssuerApplication.deployed(config, clients.kms(),
                clients.dynamo(), clients.replayDynamo());
        this.api = application.api();
        this.priming = SnapStartPriming.of(config, application.warmUp());
        crac.register(priming);
        if (!SNAP_START.equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            // The keys load while Lambda finishes the container's start and fetches its first event. A SnapStart
            // version loads them after each restore instead (SnapStartPriming.afterRestore): the snapshot keeps
            // nothing of the function's own calls.
            application.warmUp().run();
        }
    }

    /** Around an API wired elsewhere (tests, the local server): no priming hook. */
    public TokenIssuerHandler(TokenIssuerApi api) {
        this.api = api;
        this.priming = null;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayEvents.Event event;
        HttpResponse response;
        try {
            event = ApiGatewayEvents.read(input);
            HttpRequest request = event.request();
            response = api.handle(request.withContext(request.context().withLambdaRequestId(
                    context == null ? null : context.getAwsRequestId())));
        } catch (IOException | IllegalArgumentException e) {
            // Not an API Gateway event at all: nothing a client can send through API Gateway gets here.
            event = new ApiGatewayEvents.Event(new HttpRequest("", "", Map.of(), null),
                    ApiGatewayEvents.Format.HTTP_API_V2);
            response = ErrorResponses.toResponse(ApiError.invalidRequest("the event is not an API Gateway request"));
        }
        output.write(ApiGatewayEvents.write(event, response));
    }
}
