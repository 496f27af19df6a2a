package dev.tokenissuer.grant;

import dev.tokenissuer.http.JsonValues;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The one gate every JWS a client sends passes before anything reads it: assertions, client assertions and DPoP
 * proofs. It admits three base64url parts whose header and payload are each one JSON object, nested at most
 * {@value #MAX_NESTING} deep, with no member given twice; then, once the caller has checked the raw header, what
 * Nimbus parses as a signed JWT. Everything else
 * (the JSON literal {@code null}, an array, a number, a string, deep nesting, a header member of the wrong type) is
 * the same thing to every caller: a malformed credential, which each refuses with its own OAuth error. Nothing here
 * checks a signature or a claim's meaning.
 *
 * @param compact the JWS as sent
 * @param header  the header's members, exactly as sent (before Nimbus interprets them)
 * @param payload the payload's members, exactly as sent
 */
record RawJws(String compact, Map<String, Object> header, Map<String, Object> payload) {

    /** Far deeper than any header or claims set we read (a DPoP proof's jwk is two levels), far below a stack's depth. */
    static final int MAX_NESTING = 16;

    /** {@code compact} read as far as its JSON; empty when it is not three parts of JSON objects. Never throws. */
    static Optional<RawJws> read(String compact) {
        if (compact == null || !CompactJws.isCompactJws(compact)) {
            return Optional.empty();
        }
        int firstDot = compact.indexOf('.');
        int secondDot = compact.indexOf('.', firstDot + 1);
        Optional<Map<String, Object>> header = jsonObject(compact.substring(0, firstDot));
        Optional<Map<String, Object>> payload = jsonObject(compact.substring(firstDot + 1, secondDot));
        if (header.isEmpty() || payload.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RawJws(compact, header.get(), payload.get()));
    }

    /**
     * The JWS as Nimbus reads it, once the caller has checked what it must on the raw header (the algorithm): empty
     * when Nimbus refuses it (an unsecured or unknown alg, a header member of the wrong type). Never throws.
     */
    Optional<SignedJWT> signedJwt() {
        try {
            return Optional.of(SignedJWT.parse(compact));
        } catch (ParseException | RuntimeException e) {
            // Nimbus's refusal, whatever form it takes, is the client's malformed input, never our fault.
            return Optional.empty();
        }
    }

    /** The header member {@code name} when it is a string. */
    Optional<String> headerString(String name) {
        return header.get(name) instanceof String value ? Optional.of(value) : Optional.empty();
    }

    private static Optional<Map<String, Object>> jsonObject(String encoded) {
        String json = new Base64URL(encoded).decodeToString();
        if (!json.stripLeading().startsWith("{") || JsonValues.nesting(json) > MAX_NESTING) {
            return Optional.empty();
        }
        try {
            // Nimbus's JSON parser refuses duplicate members, so no two readers can see different values.
            return Optional.ofNullable(JSONObjectUtils.parse(json));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

}
