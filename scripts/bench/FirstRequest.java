import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A container's start and first request, in this JVM: constructs the handler class named by args[0] as Lambda does,
 * then answers the event file args[1] once. Prints the status line of the answer and, on stderr, the classes loaded
 * by then. Run with -Xlog:class+load to see which (scripts/bench/first-request-classes.sh).
 */
public class FirstRequest {
    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getDeclaredConstructor()
                .newInstance();
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        String answer = out.toString();
        System.out.println(answer.substring(0, Math.min(40, answer.length())));
        System.err.println("classes " + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }
}
