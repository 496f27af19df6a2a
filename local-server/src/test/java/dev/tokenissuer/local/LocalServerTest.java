package dev.tokenissuer.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The local server stays available to a normal client whatever other clients do with their connections. */
class LocalServerTest {

    /** Answers every event with 200 and a fixed body: the handler is not what these tests are about. */
    private static final RequestStreamHandler OK = (in, out, context) -> {
        in.readAllBytes();
        out.write("{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/plain\"},\"body\":\"ok\"}"
                .getBytes(StandardCharsets.UTF_8));
    };

    private LocalServer server;
    private final List<Socket> idle = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new LocalServer(OK, "127.0.0.1", 0);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : idle) {
            socket.close();
        }
        server.close();
    }

    /** Sixteen connections that stall in every way a client can: silent, mid-headers, and mid-body. */
    private void openStalledConnections() throws IOException {
        String[] starts = {
                "",
                "POST /v1beta1/auth/token HTTP/1.1\r\nHost: localhost\r\n",
                "POST /v1beta1/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"grant_"};
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket("127.0.0.1", server.port());
            idle.add(socket);
            OutputStream out = socket.getOutputStream();
            out.write(starts[i % starts.length].getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    @Test
    @DisplayName("sixteen stalled connections do not keep a normal request from an answer before they time out")
    void stalledClientsDoNotStallTheServer() throws Exception {
        openStalledConnections();
        Thread.sleep(200);

        // Under the stalled clients' own timeout (REQUEST_SECONDS), so only free workers explain an answer; with room
        // for a loaded machine, as this is a test of behaviour, not of speed.
        Duration bound = Duration.ofMillis(LocalServer.REQUEST_SECONDS * 1000L - 500);
        HttpClient client = HttpClient.newBuilder().connectTimeout(bound).build();
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/.well-known/jwks.json"))
                .timeout(bound).build(), HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        assertThat(millis).isLessThan(bound.toMillis());
    }

    @Test
    @DisplayName("a connection that stops sending mid-request is closed once its time is up, freeing its worker")
    void stalledConnectionIsClosed() throws Exception {
        Socket socket = new Socket("127.0.0.1", server.port());
        idle.add(socket);
        socket.getOutputStream().write("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n{"
                .getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout((LocalServer.REQUEST_SECONDS + 5) * 1000);

        long start = System.nanoTime();
        int read;
        try {
            read = socket.getInputStream().read();
        } catch (java.net.SocketException reset) {
            read = -1;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(read).as("the server closes without answering").isEqualTo(-1);
        long limit = LocalServer.REQUEST_SECONDS * 1000L;
        assertThat(millis).isBetween(limit - 1500, limit + 3000);
    }
}
