package dev.tokenissuer.admin;

/**
 * The first PEM block in a text ({@code -----BEGIN LABEL-----}, base64 lines, {@code -----END LABEL-----}), read
 * line by line in one pass. A regular expression over the whole block backtracked on crafted files (seconds to
 * minutes for a few KiB of spaces or dashes); this reader looks at each character a bounded number of times.
 */
record Pem(String label, String base64) {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    /** The first block; text before it (openssl's comments, say) is skipped. */
    static Pem read(String text) {
        String label = null;
        StringBuilder base64 = new StringBuilder();
        int start = 0;
        while (start <= text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            String line = text.substring(start, end).strip();
            start = end + 1;
            if (label == null) {
                label = beginLabel(line);
            } else if (line.equals(END + label + DASHES)) {
                return new Pem(label, base64.toString());
            } else if (isBase64(line)) {
                base64.append(line);
            } else {
                throw new AdminException("the PEM block holds a line that is not base64");
            }
        }
        throw new AdminException(label == null
                ? "expected a PEM public key (-----BEGIN PUBLIC KEY-----) or a JWK"
                : "the PEM block has no -----END " + label + "----- line");
    }

    /** The label of a BEGIN line ({@code A-Z}, digits and spaces, as RFC 7468 labels are), or null. */
    private static String beginLabel(String line) {
        if (!line.startsWith(BEGIN) || !line.endsWith(DASHES) || line.length() <= BEGIN.length() + DASHES.length()) {
            return null;
        }
        String label = line.substring(BEGIN.length(), line.length() - DASHES.length());
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ')) {
                return null;
            }
        }
        return label;
    }

    private static boolean isBase64(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
                    || c == '=' || c == ' ' || c == '\t')) {
                return false;
            }
        }
        return true;
    }
}
