package dev.tokenissuer.testing;

import dev.tokenissuer.api.ApiError;
import dev.tokenissuer.api.ApiException;
import dev.tokenissuer.api.ErrorResponses;
import dev.tokenissuer.grant.OAuthException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Runs code that must refuse a request, with an {@link OAuthException} or an {@link ApiException}, and returns the
 * error the API answers it with.
 */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static ApiError errorOf(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("the call should refuse the request")
                .isInstanceOfAny(OAuthException.class, ApiException.class);
        return ErrorResponses.classify(thrown);
    }
}
