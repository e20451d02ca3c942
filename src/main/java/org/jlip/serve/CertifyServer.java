package org.jlip.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certified predictions over HTTP, with JSON in the shape of TF Serving's REST API:
 * <ul>
 *   <li>{@code GET /v1/model}: the model's source, input shape, logits, certificate rule and the Lipschitz bound
 *       its radii divide by;
 *   <li>{@code POST /v1/certify} with {@code {"instances": [x, ...]}}, each x the values of one input as a
 *       nested or flat array (row-major in the input shape): {@code {"predictions": [{"label", "radius",
 *       "logits"}, ...]}}, with {@code "robust"} (radius > eps) when the server has an eps.
 * </ul>
 * A bad request gets status 400 (413 for a body over the limit, 404/405 for another path or method) and
 * {@code {"error": "..."}} naming what was expected. Requests run on a pool of threads sharing one
 * {@link Certifier}.
 */
public final class CertifyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CertifyServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer http;
  private final ExecutorService pool;
  private final Certifier certifier;
  private final Double eps;
  private final long maxBodyBytes;

  private CertifyServer(HttpServer http, ExecutorService pool, Certifier certifier, Double eps, long maxBodyBytes) {
    this.http = http;
    this.pool = pool;
    this.certifier = certifier;
    this.eps = eps;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Starts serving {@code certifier} (which stays the caller's to close) on {@code host:port} (port 0: any free
   * one, see {@link #port()}).
   *
   * @param eps null, or the radius each prediction's {@code robust} flag compares with
   * @param threads request threads
   * @param maxBodyBytes the largest request body read
   */
  public static CertifyServer start(Certifier certifier, String host, int port, Double eps, int threads,
      long maxBodyBytes) throws IOException {
    if (eps != null && !(eps >= 0 && Double.isFinite(eps))) {
      throw new IllegalArgumentException("eps must be finite and >= 0, got " + eps);
    }
    if (threads < 1 || maxBodyBytes < 1) {
      throw new IllegalArgumentException("threads and the body limit must be >= 1, got " + threads + " and "
          + maxBodyBytes);
    }
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CertifyServer server = new CertifyServer(http, pool, certifier, eps, maxBodyBytes);
    http.createContext("/", server::handle);
    http.setExecutor(pool);
    http.start();
    LOG.info("serving {} on http://{}:{}/v1/certify", certifier.source(), host, server.port());
    return server;
  }

  /** The port it listens on. */
  public int port() {
    return http.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      route(ex);
    }
  }

  private void route(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (path.equals("/v1/model")) {
        reply(ex, method.equals("GET") ? 200 : 405, method.equals("GET") ? describe() : error("use GET"));
      } else if (path.equals("/v1/certify")) {
        if (!method.equals("POST")) {
          reply(ex, 405, error("use POST with {\"instances\": [...]}"));
          return;
        }
        byte[] body = read(ex.getRequestBody());
        if (body == null) {
          reply(ex, 413, error("the request body is over " + maxBodyBytes + " bytes"));
          return;
        }
        reply(ex, 200, certify(body));
      } else {
        reply(ex, 404, error("no such path " + path + ": GET /v1/model or POST /v1/certify"));
      }
    } catch (BadRequest e) {
      reply(ex, 400, error(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("request failed", e);
      reply(ex, 500, error(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  private ObjectNode describe() {
    ObjectNode d = JSON.createObjectNode();
    d.put("source", certifier.source());
    ArrayNode shape = d.putArray("inputShape");
    for (long s : certifier.inputShape()) {
      shape.add(s);
    }
    d.put("outputs", certifier.outputs());
    d.put("rule", certifier.rule().name());
    d.put("lipschitz", certifier.lipschitz());
    if (certifier.nominalLipschitz() != null) {
      d.put("nominalLipschitz", certifier.nominalLipschitz());
    }
    if (eps != null) {
      d.put("eps", eps);
    }
    return d;
  }

  private ObjectNode certify(byte[] body) throws BadRequest {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequest("the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequest("the body cannot be read: " + e.getMessage());
    }
    float[] inputs = Instances.flatten(request, certifier.inputShape());
    int n = request.path("instances").size();
    List<Certified> certified;
    try {
      certified = certifier.certify(inputs, n);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
    ObjectNode out = JSON.createObjectNode();
    ArrayNode predictions = out.putArray("predictions");
    for (Certified c : certified) {
      ObjectNode p = predictions.addObject();
      p.put("label", c.label());
      p.put("radius", c.radius());
      ArrayNode logits = p.putArray("logits");
      for (float f : c.logits()) {
        logits.add(f);
      }
      if (eps != null) {
        p.put("robust", c.robustAt(eps));
      }
    }
    return out;
  }

  /** The body, or null when it is longer than the limit. */
  private byte[] read(InputStream in) throws IOException {
    byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
    return body.length > maxBodyBytes ? null : body;
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops listening, letting requests in progress end within a second. */
  @Override
  public void close() {
    http.stop(1);
    pool.shutdownNow();
  }

  /** A request the server cannot answer, with what was expected. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message);
    }
  }
}
