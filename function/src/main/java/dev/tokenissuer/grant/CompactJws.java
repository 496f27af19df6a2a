package dev.tokenissuer.grant;

/** The shape of a JWS in compact serialization, checked before any parser sees it. */
public final class CompactJws {

    private CompactJws() {
    }

    /** Three non-empty base64url parts: checked by a scan, not a pattern, so any input costs linear time. */
    public static boolean isCompactJws(String token) {
        int dots = 0;
        int partLength = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (partLength == 0 || ++dots > 2) {
                    return false;
                }
                partLength = 0;
            } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_') {
                partLength++;
            } else {
                return false;
            }
        }
        return dots == 2 && partLength > 0;
    }
}
