package org.jlip.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jlip.serve.CertifiedModels;
import org.jlip.serve.CertifyServer;
import org.jlip.serve.Certifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jlip serve: certified predictions over HTTP until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve certified predictions over HTTP (JSON as TF Serving's REST API): GET /v1/model describes"
        + " the model; POST /v1/certify with {\"instances\": [x, ...]} answers {\"predictions\": [{\"label\","
        + " \"radius\", \"logits\"[, \"robust\"]}, ...]}, radii divided by the Lipschitz bound measured from the"
        + " weights. Runs until stopped (Ctrl-C).")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, description = "any model certify reads")
  Path model;

  @Option(names = "--signature", description = "signature of a Keras SavedModel (default serving_default)")
  String signature;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
  String host;

  @Option(names = "--port", defaultValue = "8501", description = "port (default: ${DEFAULT-VALUE}; 0: any free one)")
  int port;

  @Option(names = "--eps", description = "adds \"robust\": radius > eps to each prediction")
  Double eps;

  @Option(names = "--threads", defaultValue = "4", description = "request threads (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--max-body-mb", defaultValue = "64",
      description = "largest request body in MiB (default: ${DEFAULT-VALUE})")
  int maxBodyMb;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
    }
    if (maxBodyMb < 1) {
      throw new IllegalArgumentException("--max-body-mb must be >= 1, got " + maxBodyMb);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (Certifier certifier = new Certifier(CertifiedModels.open(model, signature));
        CertifyServer server = CertifyServer.start(certifier, host, port, eps, threads, maxBodyMb * 1048576L)) {
      System.out.println("serving " + certifier.source() + " on http://" + host + ":" + server.port()
          + "/v1/certify (GET /v1/model describes it)");
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }
}
