package dev.tokenissuer.admin;

import dev.tokenissuer.signing.SigningKeySpec;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;

/** What several commands' options share: how a value is read and checked, and what tokenctl prints when it is not. */
final class Options {

    private Options() {
    }

    /** A required option's value; a blank one counts as missing (exit 2). */
    static String given(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " is required");
        }
        return value;
    }

    /** {@code --spec}: a key spec tokens can be signed with. tokenctl prefixes the option's name to the message. */
    static final class KeySpec implements ITypeConverter<SigningKeySpec> {
        @Override
        public SigningKeySpec convert(String value) {
            return SigningKeySpec.named(value).orElseThrow(() -> new TypeConversionException(
                    "must be one of " + SigningKeySpec.names() + ", not " + value));
        }
    }

    /** The key specs, for shell completion and {@code ${COMPLETION-CANDIDATES}} in the help. */
    static final class KeySpecNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(SigningKeySpec.values()).map(spec -> spec.kmsKeySpec().toString()).iterator();
        }
    }

    /** The spec of a first key when none is asked for: {@code ${DEFAULT-VALUE}} in the help, and the value. */
    static final class FirstKeySpec implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec argSpec) {
            return argSpec.type() == SigningKeySpec.class ? SigningKeySpec.DEFAULT.kmsKeySpec().toString() : null;
        }
    }

    /** {@code --publish-lead}: whole seconds, 0 (tests only: no wait) to a day. */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                long seconds = Long.parseLong(value.trim());
                if (seconds >= 0 && seconds <= 86_400) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new TypeConversionException("must be whole seconds from 0 to 86400, not " + value);
        }
    }
}
