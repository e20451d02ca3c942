package org.jlip.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.junit.jupiter.api.Test;

/** The HTTP server against the {@link Certifier} it serves, and its answers to bad requests. */
class CertifyServerTest {
  private static final Path EXPORT = Path.of("savedmodels", "fmnist-hkr");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double EPS = 36 / 255.0;
  private final HttpClient client = HttpClient.newHttpClient();

  private record Reply(int status, JsonNode body) {}

  private Reply send(CertifyServer server, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    return new Reply(r.statusCode(), JSON.readTree(r.body()));
  }

  /** Image i of {@code x} as [28][28][1] (nested) or flat. */
  private static ArrayNode instance(float[] x, int i, boolean nested) {
    ArrayNode a = JSON.createArrayNode();
    for (int r = 0; r < 28; r++) {
      ArrayNode row = nested ? a.addArray() : a;
      for (int c = 0; c < 28; c++) {
        float v = x[i * 784 + r * 28 + c];
        if (nested) {
          row.addArray().add(v);
        } else {
          row.add(v);
        }
      }
    }
    return a;
  }

  @Test
  void predictionsAreTheCertifiersAndTheModelIsDescribed() throws Exception {
    Dataset test = FashionMnist.load(Split.TEST);
    float[] x = Arrays.copyOf(test.images(), 3 * 784);
    try (Certifier certifier = Certifier.open(EXPORT);
        CertifyServer server = CertifyServer.start(certifier, "127.0.0.1", 0, EPS, 2, 1 << 20)) {
      Reply model = send(server, "GET", "/v1/model", null);
      assertEquals(200, model.status());
      assertEquals("DISJOINT", model.body().path("rule").asText());
      assertEquals("[28,28,1]", model.body().path("inputShape").toString());
      assertEquals(certifier.lipschitz(), model.body().path("lipschitz").asDouble(), 1e-12);

      ObjectNode request = JSON.createObjectNode();
      ArrayNode instances = request.putArray("instances");
      for (int i = 0; i < 3; i++) {
        instances.add(instance(x, i, i == 0));
      }
      Reply reply = send(server, "POST", "/v1/certify", request.toString());
      assertEquals(200, reply.status(), reply.body().toString());
      List<Certified> expected = certifier.certify(x, 3);
      JsonNode predictions = reply.body().path("predictions");
      assertEquals(3, predictions.size());
      for (int i = 0; i < 3; i++) {
        JsonNode p = predictions.get(i);
        assertEquals(expected.get(i).label(), p.path("label").asInt());
        assertEquals(expected.get(i).radius(), p.path("radius").floatValue(), 1e-6);
        assertEquals(expected.get(i).robustAt(EPS), p.path("robust").asBoolean());
        assertEquals(10, p.path("logits").size());
        assertEquals(expected.get(i).logits()[3], p.path("logits").get(3).floatValue(), 1e-6);
      }
    }
  }

  @Test
  void badRequestsGetAStatusAndSayWhatWasExpected() throws Exception {
    try (Certifier certifier = Certifier.open(EXPORT);
        CertifyServer server = CertifyServer.start(certifier, "127.0.0.1", 0, null, 1, 4096)) {
      assertError(send(server, "POST", "/v1/certify", "{\"instances\": [[1, 2]]}"), 400, "holds 2 values",
          "[28, 28, 1]", "784");
      assertError(send(server, "POST", "/v1/certify", "nope"), 400, "not JSON");
      assertError(send(server, "POST", "/v1/certify", "{\"instances\": [[\"a\"]]}"), 400, "string", "numbers");
      assertError(send(server, "POST", "/v1/certify", "{\"inputs\": []}"), 400, "\"instances\"");
      assertError(send(server, "POST", "/v1/certify", "{\"instances\": [[1e39" + ", 0".repeat(783) + "]]}"),
          400, "input 0", "finite");
      assertError(send(server, "POST", "/v1/certify", "{\"instances\": [[" + "0, ".repeat(2000) + "0]]}"), 413,
          "4096 bytes");
      assertError(send(server, "GET", "/v1/certify", null), 405, "POST");
      assertError(send(server, "POST", "/v1/model", "{}"), 405, "GET");
      assertError(send(server, "GET", "/v2/anything", null), 404, "/v1/certify");
      assertEquals(200, send(server, "GET", "/v1/model", null).status(), "the server still answers");
    }
  }

  private static void assertError(Reply r, int status, String... parts) {
    assertEquals(status, r.status(), r.body().toString());
    String m = r.body().path("error").asText();
    for (String part : parts) {
      assertTrue(m.contains(part), "'" + part + "' missing from: " + m);
    }
  }

  @Test
  void anEpsOrLimitThatMeansNothingIsRefused() throws IOException {
    try (Certifier certifier = Certifier.open(EXPORT)) {
      for (Double eps : new Double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CertifyServer.start(certifier, "127.0.0.1", 0, eps, 1, 10));
        assertTrue(e.getMessage().contains("eps"), e.getMessage());
      }
      assertThrows(IllegalArgumentException.class,
          () -> CertifyServer.start(certifier, "127.0.0.1", 0, null, 0, 10));
    }
  }
}
