package dev.tokenissuer.testing;

import dev.tokenissuer.store.AwsTrustItem;
import dev.tokenissuer.store.FederationRules;
import dev.tokenissuer.store.OidcIssuerItem;
import dev.tokenissuer.store.OidcTrustItem;
import dev.tokenissuer.store.TrustTarget;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Trust rules in memory, looked up by key as the table is; counts the reads a request makes. */
public final class FakeFederationRules implements FederationRules {

    private final Map<String, AwsTrustItem> aws = new ConcurrentHashMap<>();
    private final Map<String, OidcIssuerItem> issuers = new ConcurrentHashMap<>();
    private final Map<String, OidcTrustItem> oidc = new ConcurrentHashMap<>();
    public final AtomicInteger reads = new AtomicInteger();

    public FakeFederationRules with(AwsTrustItem rule) {
        aws.put(rule.principalArn(), rule);
        return this;
    }

    public FakeFederationRules with(OidcIssuerItem issuer) {
        issuers.put(issuer.issuer(), issuer);
        return this;
    }

    public FakeFederationRules with(OidcTrustItem rule) {
        oidc.put(OidcTrustItem.partitionKey(rule.issuer(), rule.subjectPattern()), rule);
        return this;
    }

    @Override
    public Optional<TrustTarget> findAwsTrust(String principalArn) {
        reads.incrementAndGet();
        return Optional.ofNullable(aws.get(principalArn)).map(AwsTrustItem::target);
    }

    @Override
    public OidcRules findOidc(String issuer, List<String> subjectPatterns) {
        reads.incrementAndGet();
        List<OidcTrustItem> found = new ArrayList<>();
        subjectPatterns.forEach(pattern -> Optional.ofNullable(oidc.get(OidcTrustItem.partitionKey(issuer, pattern)))
                .ifPresent(found::add));
        return new OidcRules(Optional.ofNullable(issuers.get(issuer)), found);
    }
}
