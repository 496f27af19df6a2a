import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.lambda.ApiGatewayEvents;

import java.io.ByteArrayInputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The first API Gateway event a fresh JVM reads and answers (ApiGatewayEvents.read, then write): wall and this
 * thread's CPU milliseconds, and the classes it loaded. The part of a cold start's first invoke that the event model
 * decides; scripts/bench/event-model.sh runs it over several builds.
 */
public class EventFirstUse {
    public static void main(String[] args) throws Exception {
        byte[] event = Files.readAllBytes(Path.of(args[0]));
        HttpResponse response = HttpResponse.json(200, "{\"access_token\":\"x\"}", Map.of("Cache-Control", "no-store"));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        long c0 = classes.getTotalLoadedClassCount();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        ApiGatewayEvents.Event read = ApiGatewayEvents.read(new ByteArrayInputStream(event));
        byte[] out = ApiGatewayEvents.write(read, response);
        long t1 = System.nanoTime();
        long cpu1 = threads.getCurrentThreadCpuTime();
        long c1 = classes.getTotalLoadedClassCount();
        System.out.println((t1 - t0) / 1000 + " " + (cpu1 - cpu0) / 1000 + " " + (c1 - c0) + " " + out.length);
    }
}
