package dev.tokenissuer.api;

import dev.tokenissuer.http.JsonValues;

/** The one JSON writer of the API's responses and log lines: plain values, streamed (see {@link JsonValues}). */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        return JsonValues.write(value);
    }
}
