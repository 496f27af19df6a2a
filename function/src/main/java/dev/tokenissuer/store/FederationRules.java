package dev.tokenissuer.store;

import java.util.List;
import java.util.Optional;

/** Where the token exchange finds the trust rules: read-only, one table read per exchange. */
public interface FederationRules {

    /** No rules at all: every exchange is refused (a wiring without a table, as some tests have). */
    FederationRules NONE = new FederationRules() {
        @Override
        public Optional<TrustTarget> findAwsTrust(String principalArn) {
            return Optional.empty();
        }

        @Override
        public OidcRules findOidc(String issuer, List<String> subjectPatterns) {
            return new OidcRules(Optional.empty(), List.of());
        }
    };

    /** One read: the rule trusting this principal ({@link AwsTrustItem#principalArn()}), if any. */
    Optional<TrustTarget> findAwsTrust(String principalArn);

    /**
     * One read: the issuer's registration and those of {@code subjectPatterns} that are rules of it.
     *
     * @param subjectPatterns {@link SubjectPatterns#candidates} of the token's {@code sub}
     */
    OidcRules findOidc(String issuer, List<String> subjectPatterns);

    /** @param rules the rules found, in no particular order */
    record OidcRules(Optional<OidcIssuerItem> issuer, List<OidcTrustItem> rules) {
        public OidcRules {
            rules = List.copyOf(rules);
        }
    }
}
