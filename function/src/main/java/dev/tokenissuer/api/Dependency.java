package dev.tokenissuer.api;

import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.util.Optional;

/** The AWS services a request depends on, as the dependency-fault metric's dimension names them. */
public enum Dependency {
    KMS("KMS", "software.amazon.awssdk.services.kms."),
    DYNAMODB("DynamoDB", "software.amazon.awssdk.services.dynamodb.");

    private final String dimensionValue;
    private final String clientPackage;

    Dependency(String dimensionValue, String clientPackage) {
        this.dimensionValue = dimensionValue;
        this.clientPackage = clientPackage;
    }

    public String dimensionValue() {
        return dimensionValue;
    }

    /**
     * Which service an SDK failure came from: a service's answer says so by its type; a timeout or a broken
     * connection only by the client class that was calling, on its stack.
     */
    static Optional<Dependency> of(Throwable sdkFailure) {
        if (sdkFailure instanceof KmsException) {
            return Optional.of(KMS);
        }
        if (sdkFailure instanceof DynamoDbException) {
            return Optional.of(DYNAMODB);
        }
        for (StackTraceElement frame : sdkFailure.getStackTrace()) {
            for (Dependency dependency : values()) {
                if (frame.getClassName().startsWith(dependency.clientPackage)) {
                    return Optional.of(dependency);
                }
            }
        }
        return Optional.empty();
    }
}
