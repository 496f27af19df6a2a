package dev.tokenissuer.grant;

import dev.tokenissuer.store.CredentialIds;
import dev.tokenissuer.token.TokenSubject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The registered grants and client authentication methods: the one list that the parser, discovery and priming
 * read, and the step that runs a request through client authentication and its grant.
 */
public final class Grants {

    private final Map<String, Grant> byType = new LinkedHashMap<>();
    private final List<ClientAuthentication> clientAuthentications;
    private final Optional<DpopProofs> dpop;

    /**
     * @param grants                in the order discovery lists them
     * @param clientAuthentications in the order they are tried; the last one answers a request that carries no
     *                              client credentials at all
     */
    public Grants(List<Grant> grants, List<ClientAuthentication> clientAuthentications) {
        this(grants, clientAuthentications, Optional.empty());
    }

    /** @param dpop how DPoP proofs are checked, when the token endpoint binds tokens to keys (RFC 9449) */
    public Grants(List<Grant> grants, List<ClientAuthentication> clientAuthentications, Optional<DpopProofs> dpop) {
        if (clientAuthentications.isEmpty()) {
            throw new IllegalArgumentException("at least one client authentication method is needed");
        }
        for (Grant grant : grants) {
            if (byType.put(grant.grantType(), grant) != null) {
                throw new IllegalArgumentException("two grants answer to " + grant.grantType());
            }
        }
        this.clientAuthentications = List.copyOf(clientAuthentications);
        this.dpop = dpop;
    }

    /** Discovery's {@code dpop_signing_alg_values_supported}; empty when tokens are never bound. */
    public List<String> dpopAlgorithms() {
        return dpop.isPresent() ? DpopProofs.algorithms() : List.of();
    }

    public List<Grant> all() {
        return List.copyOf(byType.values());
    }

    /** The grant that answers to {@code grantType}, if one is registered. */
    public Optional<Grant> find(String grantType) {
        return Optional.ofNullable(byType.get(grantType));
    }

    public List<String> grantTypes() {
        return List.copyOf(byType.keySet());
    }

    /**
     * Every parameter some grant or client authentication method reads, {@code grant_type}, {@code scope} and
     * {@code resource} too.
     */
    public Set<String> parameters() {
        Set<String> names = new LinkedHashSet<>(List.of(TokenRequest.GRANT_TYPE));
        names.addAll(RequestedAccess.PARAMETERS);
        clientAuthentications.forEach(method -> names.addAll(method.parameters()));
        byType.values().forEach(grant -> names.addAll(grant.parameters()));
        return Set.copyOf(names);
    }

    /** The parameters a request may give several times (RFC 8707's {@code resource}); all others, once. */
    public Set<String> repeatableParameters() {
        return RequestedAccess.REPEATABLE_PARAMETERS;
    }

    /** Discovery's {@code token_endpoint_auth_methods_supported}. */
    public List<String> clientAuthenticationMethods() {
        List<String> methods = new ArrayList<>();
        clientAuthentications.forEach(method -> methods.addAll(method.methods()));
        return List.copyOf(methods);
    }

    /**
     * The client id or key id the request names, in stored form, for the audit line; unverified (see
     * {@link Grant#claimedCredential}).
     */
    public Optional<String> claimedCredential(TokenRequest request) {
        Grant grant = byType.get(request.grantType());
        if (grant == null || grant.clientAuthentication() == Grant.ClientAuthenticationRule.REQUIRED) {
            return request.clientId().flatMap(CredentialIds::normalize);
        }
        return grant.claimedCredential(request);
    }

    /**
     * Runs the request through its grant, authenticating the client first when the grant wants it.
     *
     * @throws OAuthException when the request earns no token
     */
    public TokenSubject authorize(TokenRequest request) {
        return authorizeAndIssue(request, Function.identity());
    }

    /**
     * Runs the request through its grant, then {@code issue} makes the token; what the grant recorded for the request
     * is taken back when that fails (see {@link Grant#authorizeAndIssue}).
     *
     * @throws OAuthException when the request earns no token
     */
    public <T> T authorizeAndIssue(TokenRequest request, Function<TokenSubject, T> issue) {
        Grant grant = byType.get(request.grantType());
        if (grant == null) {
            throw OAuthError.unsupportedGrantType().exception();
        }
        // A malformed scope or resource is refused before anything is read; the grant decides the rest.
        RequestedAccess.of(request);
        Function<TokenSubject, T> bound = bindingWith(request, issue);
        if (grant.clientAuthentication() == Grant.ClientAuthenticationRule.REQUIRED) {
            return clientAuthentication(request).authenticateAndThen(request,
                    client -> grant.authorizeAndIssue(request, Optional.of(client), bound));
        }
        return grant.authorizeAndIssue(request, Optional.empty(), bound);
    }

    /**
     * {@code issue}, binding the token to the key of the request's DPoP proof when there is one. The proof is checked
     * here, before any read; its single use is recorded only when the token is about to be made.
     */
    private <T> Function<TokenSubject, T> bindingWith(TokenRequest request, Function<TokenSubject, T> issue) {
        if (request.dpopProof().isEmpty()) {
            return issue;
        }
        DpopProofs proofs = dpop.orElseThrow(() -> OAuthError.invalidDpopProof(
                "DPoP-bound tokens are not offered here", RefusalReason.DPOP_PROOF_INVALID).exception());
        DpopProofs.Proof proof = proofs.verify(request).orElseThrow();
        return subject -> proofs.recordedThen(proof, () -> issue.apply(subject.boundTo(proof.thumbprint())));
    }

    private ClientAuthentication clientAuthentication(TokenRequest request) {
        return clientAuthentications.stream()
                .filter(candidate -> candidate.presentIn(request))
                .findFirst()
                .orElse(clientAuthentications.get(clientAuthentications.size() - 1));
    }
}
