package dev.tokenissuer.grant;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a scope and an audience may look like and how many a service user may have: the one statement of these rules,
 * which {@code tokenctl} applies when an operator sets them and the token endpoint applies to what a client asks for.
 *
 * <p>The bounds keep the worst token near 6 KiB (scopes and audiences together under 5 KiB), so it still fits an
 * {@code Authorization} header behind API Gateway and common proxies, and far exceed what a least-privilege client
 * needs.
 */
public final class AccessLimits {

    public static final int MAX_SCOPES = 32;
    public static final int MAX_SCOPE_CHARS = 128;
    public static final int MAX_AUDIENCES = 8;
    public static final int MAX_AUDIENCE_CHARS = 256;

    private AccessLimits() {
    }

    /**
     * Why {@code scopes} cannot be a service user's or a request's scopes, if they cannot: too many, one too long or
     * empty, one with a character outside RFC 6749 §3.3's NQCHAR, or one given twice. The reason names no value.
     */
    public static Optional<String> whyNotScopes(List<String> scopes) {
        if (scopes.size() > MAX_SCOPES) {
            return Optional.of(scopes.size() + " scopes; at most " + MAX_SCOPES + " are allowed");
        }
        Set<String> seen = new HashSet<>();
        for (String scope : scopes) {
            if (scope.isEmpty()) {
                return Optional.of("a scope is empty");
            }
            if (scope.length() > MAX_SCOPE_CHARS) {
                return Optional.of("a scope is " + scope.length() + " characters long; at most " + MAX_SCOPE_CHARS
                        + " are allowed");
            }
            if (!scope.chars().allMatch(AccessLimits::isScopeChar)) {
                return Optional.of("a scope has a character RFC 6749 §3.3 does not allow (printable ASCII but"
                        + " space, \" and \\)");
            }
            if (!seen.add(scope)) {
                return Optional.of("a scope is given twice");
            }
        }
        return Optional.empty();
    }

    /**
     * Why {@code audiences} cannot be a service user's allowed audiences or a request's resources, if they cannot:
     * too many, one too long, one not an absolute URI or with a fragment (RFC 8707 §2), or one given twice.
     */
    public static Optional<String> whyNotAudiences(List<String> audiences) {
        if (audiences.size() > MAX_AUDIENCES) {
            return Optional.of(audiences.size() + " audiences; at most " + MAX_AUDIENCES + " are allowed");
        }
        Set<String> seen = new HashSet<>();
        for (String audience : audiences) {
            if (audience.length() > MAX_AUDIENCE_CHARS) {
                return Optional.of("an audience is " + audience.length() + " characters long; at most "
                        + MAX_AUDIENCE_CHARS + " are allowed");
            }
            if (!isAbsoluteUriWithoutFragment(audience)) {
                return Optional.of("an audience must be an absolute URI without a fragment (RFC 8707 §2)");
            }
            if (!seen.add(audience)) {
                return Optional.of("an audience is given twice");
            }
        }
        return Optional.empty();
    }

    /** The scope tokens of a space-delimited list; an empty or blank list has none. For operators' input. */
    public static List<String> splitList(String list) {
        String trimmed = list.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    /** RFC 6749 §3.3: NQCHAR = %x21 / %x23-5B / %x5D-7E. */
    static boolean isScopeChar(int c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
    }

    private static boolean isAbsoluteUriWithoutFragment(String value) {
        if (value.isEmpty()) {
            return false;
        }
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && uri.getRawFragment() == null && !value.contains("#");
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
