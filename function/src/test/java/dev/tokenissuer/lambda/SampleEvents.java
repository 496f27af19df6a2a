package dev.tokenissuer.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The sample API Gateway events in the repository's {@code events/} directory (tests run in {@code function/}). */
final class SampleEvents {

    static final Path DIRECTORY = Path.of("..", "events");
    /** What each sample is answered (EventsIT, the emulator smoke test): in the directory, but not an event. */
    static final String EXPECTED_STATUSES = "expected-statuses.json";

    private SampleEvents() {
    }

    static List<Path> all() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            List<Path> events = files.filter(file -> file.getFileName().toString().endsWith(".json"))
                    .filter(file -> !file.getFileName().toString().equals(EXPECTED_STATUSES)).sorted().toList();
            if (events.isEmpty()) {
                throw new IllegalStateException("no sample events in " + DIRECTORY.toAbsolutePath());
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + DIRECTORY.toAbsolutePath(), e);
        }
    }

    static Path named(String name) {
        return DIRECTORY.resolve(name);
    }
}
