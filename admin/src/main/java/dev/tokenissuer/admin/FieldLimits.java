package dev.tokenissuer.admin;

/**
 * How long an operator-supplied org id or title may be. An org id goes into every token its service user gets, so it
 * bounds the token's size; a title is shown back in listings. Both bounds are generous for names people choose and
 * far below DynamoDB's item size. Counted in characters (Unicode code points).
 */
final class FieldLimits {

    static final int MAX_ORG_ID_LENGTH = 256;
    static final int MAX_TITLE_LENGTH = 256;

    private FieldLimits() {
    }

    /** The org id, or an {@link AdminException} saying why it cannot be one. */
    static String orgId(String orgId) {
        return bounded("org id", orgId, MAX_ORG_ID_LENGTH);
    }

    /** The title, or an {@link AdminException} saying why it cannot be one. */
    static String title(String title) {
        return bounded("title", title, MAX_TITLE_LENGTH);
    }

    private static String bounded(String what, String value, int max) {
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            throw new AdminException("the " + what + " is " + length + " characters long; at most " + max
                    + " are allowed");
        }
        return value;
    }
}
