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
import java.util.function.Supplier;

/**
 * The registered grants and client authentication methods: the one list that the parser, discovery and priming
 * read, and the step that runs a request through client authentication and its grant.
 */
public final class Grants {

    private final Map<String, Grant> byType = new LinkedHashMap<>();
    private final List<ClientAuthentication> clientAuthentications;
    private final Optional<DpopProofs> dpop;
    private final List<String> defaultAudience;

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
        this(grants, clientAuthentications, dpop, List.of());
    }

    /**
     * @param defaultAudience the server's default audience ({@code TOKEN_AUDIENCE}): what a token asked for no
     *                        resource names, and an audience every service user may ask for (see
     *                        {@link RequestedAccess})
     */
    public Grants(List<Grant> grants, List<ClientAuthentication> clientAuthentications, Optional<DpopProofs> dpop,
                  List<String> defaultAudience) {
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
        this.defaultAudience = List.copyOf(defaultAudience);
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

    /**
     * The parameter an {@code Authorization: Bearer} header carries for {@code grantType} (see
     * {@link Grant#bearerParameter}); empty when that grant takes none, or no grant answers to it.
     */
    public Optional<String> bearerParameter(String grantType) {
        return find(grantType).flatMap(Grant::bearerParameter);
    }

    /** Discovery's {@code token_endpoint_auth_methods_supported}. */
    public List<String> clientAuthenticationMethods() {
        List<String> methods = new ArrayList<>();
        clientAuthentications.forEach(method -> methods.addAll(method.methods()));
        return List.copyOf(methods);
    }

    /**
     * What a request claims to be, read without checking anything, for the audit line of an issued and a refused
     * request alike: how the client authenticates, the credential ids it names (in stored form, only when they have
     * the form of one of our ids), and the key a DPoP proof asks the token to be bound to.
     *
     * @param grantType            the request's grant type, when a registered grant answers to it
     * @param clientAuthentication the client authentication method the request uses ({@code client_secret_basic},
     *                             {@code client_secret_post}, {@code private_key_jwt}), or {@code none}
     * @param clientId             the client id named (a secret's, or private_key_jwt's {@code client_id})
     * @param clientKeyId          the kid of a private_key_jwt client assertion
     * @param keyId                the kid of the grant's own credential (a jwt-bearer assertion)
     * @param proofKey             reads the thumbprint of a DPoP proof's key ({@code jkt}) when asked: an issued
     *                             token names its bound key itself, so only a refused request's audit line reads
     *                             the proof a second time
     */
    public record Claimed(Optional<String> grantType, String clientAuthentication, Optional<String> clientId,
                          Optional<String> clientKeyId, Optional<String> keyId,
                          Supplier<Optional<String>> proofKey) {

        /** A client that sends no client credentials (RFC 8414's {@code none}). */
        public static final String NO_CLIENT_AUTHENTICATION = "none";

        /** The thumbprint of the DPoP proof's key, if the request carries a proof whose key can be read. */
        public Optional<String> boundKey() {
            return proofKey.get();
        }
    }

    /** What the request claims (see {@link Claimed}); never throws, whatever the request holds. */
    public Claimed claimed(TokenRequest request) {
        Optional<ClientAuthentication> method = presentClientAuthentication(request);
        Optional<String> clientKeyId = method.flatMap(present -> present.claimedKeyId(request));
        return new Claimed(find(request.grantType()).map(Grant::grantType),
                method.map(present -> present.methodOf(request)).orElse(Claimed.NO_CLIENT_AUTHENTICATION),
                request.clientId().flatMap(CredentialIds::normalize), clientKeyId,
                find(request.grantType()).flatMap(grant -> grant.claimedCredential(request)),
                () -> DpopProofs.claimedThumbprint(request));
    }

    /**
     * Runs the request's steps in order: the checks that need no I/O (the grant type, the requested access, parsed
     * once, and the DPoP proof), client authentication, the grant, and last the DPoP proof's single use. Each step
     * returns what it established; the single uses they record go into {@code uses}, which the caller gives back in
     * one place when the token is not made (this refused, or issuing failed).
     *
     * @return who the token is for, what it grants and to which key it is bound
     * @throws OAuthException when the request earns no token
     */
    public TokenSubject authorize(TokenRequest request, RecordedUses uses) {
        Grant grant = find(request.grantType()).orElseThrow(() -> OAuthError.unsupportedGrantType().exception());
        RequestedAccess access = RequestedAccess.of(request, defaultAudience);
        Optional<DpopProofs.Proof> proof = verifiedProof(request);

        Optional<TokenSubject> client = Optional.empty();
        Optional<ClientAuthentication> method = clientAuthentication(request, grant);
        if (method.isPresent()) {
            // A client that only authenticates beside a grant naming the subject itself asks nothing of its own
            // credential: the grant decides the access on its own credential.
            Established authenticated = method.get().authenticate(request,
                    grant.clientAuthentication() == Grant.ClientAuthenticationRule.REQUIRED
                            ? access : RequestedAccess.NOTHING_IN_PARTICULAR);
            uses.add(authenticated.use());
            client = Optional.of(authenticated.subject());
        }
        Established authorized = grant.authorize(request, client, access);
        uses.add(authorized.use());
        if (proof.isEmpty()) {
            return authorized.subject();
        }
        uses.add(Optional.of(dpop.orElseThrow().record(proof.get())));
        return authorized.subject().boundTo(proof.get().thumbprint());
    }

    /** The request's DPoP proof checked, before any read; empty when it carries none. */
    private Optional<DpopProofs.Proof> verifiedProof(TokenRequest request) {
        if (request.dpopProof().isEmpty()) {
            return Optional.empty();
        }
        DpopProofs proofs = dpop.orElseThrow(() -> OAuthError.invalidDpopProof(
                "DPoP-bound tokens are not offered here", RefusalReason.DPOP_PROOF_INVALID).exception());
        return proofs.verify(request);
    }

    /** The method that authenticates the client: the one whose credentials the request carries, if the grant runs one. */
    private Optional<ClientAuthentication> clientAuthentication(TokenRequest request, Grant grant) {
        Optional<ClientAuthentication> present = presentClientAuthentication(request);
        if (present.isPresent() || grant.clientAuthentication() == Grant.ClientAuthenticationRule.WHEN_PRESENT) {
            return present;
        }
        // The last method answers a request that carries no client credentials at all (it asks for them).
        return Optional.of(clientAuthentications.get(clientAuthentications.size() - 1));
    }

    private Optional<ClientAuthentication> presentClientAuthentication(TokenRequest request) {
        return clientAuthentications.stream().filter(candidate -> candidate.presentIn(request)).findFirst();
    }
}
