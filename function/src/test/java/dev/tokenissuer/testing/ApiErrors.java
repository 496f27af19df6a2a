package dev.tokenissuer.testing;

import dev.tokenissuer.api.ApiError;
import dev.tokenissuer.api.ApiException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Runs code that must fail with an {@link ApiException} and returns the error it answers with. */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static ApiError errorOf(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("the call should fail with an ApiException").isInstanceOf(ApiException.class);
        return ((ApiException) thrown).error();
    }
}
