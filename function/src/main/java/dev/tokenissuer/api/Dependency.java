package dev.tokenissuer.api;

import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.kms.model.KmsException;

/** The AWS services a request depends on, as the dependency-fault metric's dimension names them. */
public enum Dependency {
    KMS("KMS", "software.amazon.awssdk.services.kms."),
    DYNAMODB("DynamoDB", "software.amazon.awssdk.services.dynamodb."),
    /** AWS STS, which the token exchange forwards a client's signed GetCallerIdentity to. */
    STS("STS", "dev.tokenissuer.grant.exchange.Sts"),
    /** A registered OIDC issuer's discovery document or JWKS, which the token exchange fetches. */
    OIDC_ISSUER("OidcIssuer", "dev.tokenissuer.grant.exchange.Oidc"),
    /** An SDK failure whose service neither its type nor its stack tells. */
    OTHER("Other", null);

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
    static Dependency of(Throwable sdkFailure) {
        if (sdkFailure instanceof KmsException) {
            return KMS;
        }
        if (sdkFailure instanceof DynamoDbException) {
            return DYNAMODB;
        }
        for (StackTraceElement frame : sdkFailure.getStackTrace()) {
            for (Dependency dependency : values()) {
                if (dependency.clientPackage != null && frame.getClassName().startsWith(dependency.clientPackage)) {
                    return dependency;
                }
            }
        }
        return OTHER;
    }
}
