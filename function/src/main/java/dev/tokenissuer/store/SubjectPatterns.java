package dev.tokenissuer.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How an OIDC trust rule names the {@code sub} it matches: exactly, or as a prefix followed by a trailing {@code *}
 * that stands right after a {@code :} or a {@code /} (GitHub's {@code repo:ORG/REPO:*}, Kubernetes'
 * {@code system:serviceaccount:NAMESPACE:*}), or {@code *} alone (any subject, for rules that hold the token to its
 * claims). Nothing else is a pattern. The boundary rule is what lets a token find its rules with one read: the
 * candidates are the token's {@code sub} and its prefixes at each {@code :} and {@code /}, a handful of keys.
 * {@code tokenctl} checks patterns with {@link #whyNot}; the token exchange computes {@link #candidates}.
 */
public final class SubjectPatterns {

    public static final int MAX_SUBJECT_CHARS = 255;
    /** Candidates per token beyond which the subject is refused: one BatchGetItem takes 100 keys, one is the issuer. */
    public static final int MAX_CANDIDATES = 64;

    private SubjectPatterns() {
    }

    /** Why {@code pattern} cannot be stored as a subject pattern, if it cannot. */
    public static Optional<String> whyNot(String pattern) {
        if (pattern.isEmpty() || pattern.length() > MAX_SUBJECT_CHARS) {
            return Optional.of("a subject must be 1 to " + MAX_SUBJECT_CHARS + " characters");
        }
        int star = pattern.indexOf('*');
        if (star < 0 || pattern.equals("*")) {
            return Optional.empty();
        }
        if (star != pattern.length() - 1) {
            return Optional.of("* may only end a subject pattern");
        }
        char before = pattern.charAt(star - 1);
        if (before != ':' && before != '/') {
            return Optional.of("a trailing * must follow ':' or '/' (as in repo:ORG/REPO:*)");
        }
        return Optional.empty();
    }

    /**
     * The patterns that could match {@code subject}, most specific first: the subject itself, its prefixes at each
     * {@code :} and {@code /} followed by {@code *}, longest first, then {@code *}. Empty when the subject is too long
     * or has too many separators to look up in one read, or holds a {@code *} (it would match itself as a pattern).
     */
    public static List<String> candidates(String subject) {
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT_CHARS || subject.indexOf('*') >= 0) {
            return List.of();
        }
        List<String> candidates = new ArrayList<>();
        candidates.add(subject);
        for (int i = subject.length() - 1; i >= 0; i--) {
            char c = subject.charAt(i);
            if (c == ':' || c == '/') {
                candidates.add(subject.substring(0, i + 1) + "*");
            }
        }
        candidates.add("*");
        return candidates.size() > MAX_CANDIDATES ? List.of() : List.copyOf(candidates);
    }
}
