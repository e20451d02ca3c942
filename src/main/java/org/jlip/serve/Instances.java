package org.jlip.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/** The "instances" of a certify request as one row-major float array: each a nested or flat array of numbers. */
final class Instances {
  private Instances() {}

  /**
   * @throws CertifyServer.BadRequest when "instances" is missing or empty, or an instance holds something other
   *     than numbers or a number of values other than the input shape's
   */
  static float[] flatten(JsonNode request, long[] inputShape) throws CertifyServer.BadRequest {
    JsonNode instances = request.path("instances");
    if (!instances.isArray() || instances.isEmpty()) {
      throw new CertifyServer.BadRequest("expected {\"instances\": [x, ...]} with at least one input x of shape "
          + Arrays.toString(inputShape) + " (nested or flat)");
    }
    int size = Math.toIntExact(Arrays.stream(inputShape).reduce(1, Math::multiplyExact));
    float[] out = new float[Math.multiplyExact(instances.size(), size)];
    for (int i = 0; i < instances.size(); i++) {
      int[] at = {i * size};
      add(instances.get(i), out, at, (i + 1) * size, i, inputShape);
      if (at[0] != (i + 1) * size) {
        throw new CertifyServer.BadRequest("instance " + i + " holds " + (at[0] - i * size) + " values; the input"
            + " shape " + Arrays.toString(inputShape) + " takes " + size);
      }
    }
    return out;
  }

  private static void add(JsonNode node, float[] out, int[] at, int end, int instance, long[] shape)
      throws CertifyServer.BadRequest {
    if (node.isNumber()) {
      if (at[0] >= end) {
        throw new CertifyServer.BadRequest("instance " + instance + " holds more values than the input shape "
            + Arrays.toString(shape) + " takes (" + Arrays.stream(shape).reduce(1, Math::multiplyExact) + ")");
      }
      out[at[0]++] = node.floatValue();
    } else if (node.isArray()) {
      for (JsonNode child : node) {
        add(child, out, at, end, instance, shape);
      }
    } else {
      throw new CertifyServer.BadRequest("instance " + instance + " holds " + node.getNodeType().toString()
          .toLowerCase(java.util.Locale.ROOT) + " " + abbreviated(node) + "; expected numbers only");
    }
  }

  private static String abbreviated(JsonNode node) {
    String s = node.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
