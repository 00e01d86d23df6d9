package dev.mlp.cli;

import dev.mlp.run.config.ConfigException;
import dev.mlp.serve.ModelServer;
import dev.mlp.serve.ServeOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlp serve --checkpoint FILE [--port 8080] [--host 127.0.0.1] [--reload]}. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a checkpoint over HTTP: POST /v1/predict (JSON {\"inputs\": [[...]]}, a table"
          + " model's {\"rows\": [{\"column\": value}]}, or a picture as image/png or image/jpeg or a"
          + " form's file field),"
          + " GET /v1/model, GET /health, and at / a page to draw a digit on or fill a table"
          + " model's form.",
      "Binds to 127.0.0.1 unless --host says otherwise. Bad requests get a 4xx and a JSON error;"
          + " bodies and batches are bounded (--max-body, --max-batch). SIGTERM or Ctrl-C lets"
          + " requests in flight finish, then exits 0."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "A checkpoint, e.g. runs/<run>/checkpoints/last.safetensors.")
  Path checkpoint;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "The address to listen on (default ${DEFAULT-VALUE}: this machine only).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "The port (default ${DEFAULT-VALUE}; 0: any free port, printed).")
  int port;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Requests computed at once, each on a copy of the model (default: the cores).")
  Integer workers;

  @Option(
      names = "--max-body",
      paramLabel = "BYTES",
      description = "The largest request body (default: 16 MiB); larger gets 413.")
  Long maxBody;

  @Option(
      names = "--max-batch",
      paramLabel = "ROWS",
      description = "The most rows in one request (default: 1024); more gets 413.")
  Integer maxBatch;

  @Option(
      names = "--idle-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "A connection silent this long is closed, a body not arriving in it refused (408)"
              + " (default ${DEFAULT-VALUE}).")
  double idleTimeout;

  @Option(
      names = "--reload",
      description =
          "Serve the new weights when the checkpoint file is replaced (as training replaces it),"
              + " without dropping a request.")
  boolean reload;

  @Mixin PluginOptions plugins;

  @Override
  public Integer call() throws Exception {
    if (!(idleTimeout >= 0.1 && idleTimeout <= 86_400)) {
      throw new ConfigException(
          "--idle-timeout must be between 0.1 and 86400 seconds, got " + idleTimeout);
    }
    if (host.isBlank()) {
      throw new ConfigException("--host must name an address, e.g. 127.0.0.1 or 0.0.0.0");
    }
    ServeOptions options;
    try {
      options =
          new ServeOptions(
              host,
              port,
              workers != null ? workers : Runtime.getRuntime().availableProcessors(),
              maxBody != null ? maxBody : ServeOptions.MAX_BODY_BYTES,
              maxBatch != null ? maxBatch : ServeOptions.MAX_BATCH,
              Math.round(idleTimeout * 1000),
              reload,
              500);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long t0 = System.nanoTime();
    ModelServer server =
        ModelServer.start(
            checkpoint,
            plugins.registry(),
            options,
            line -> {
              synchronized (err) {
                err.println(line);
                err.flush();
              }
            });
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          try {
            server.stop();
          } catch (Exception e) {
            // stopping anyway
          } finally {
            stopped.countDown();
          }
        };
    // SIGTERM and Ctrl-C: let requests in flight finish, then exit 0 (not 143)
    for (String signal : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(
          new sun.misc.Signal(signal), s -> new Thread(stop, "mlp-serve-stop").start());
    }
    dev.mlp.run.Model m = server.model();
    out.printf(
        Locale.ROOT,
        "serving %s (%d inputs -> %d %s) at %s with %d worker%s; model loaded in %.0f ms,"
            + " listening %.0f ms later%n",
        checkpoint,
        m.inputSize(),
        m.numClasses(),
        m.table() != null && m.table().regression() ? "values" : "classes",
        server.uri(),
        options.workers(),
        options.workers() == 1 ? "" : "s",
        (System.nanoTime() - t0) / 1e6 - server.startMillis(),
        server.startMillis());
    out.flush();
    stopped.await();
    server.join();
    server.close();
    err.println("stopped: requests in flight finished");
    err.flush();
    return ExitCode.OK;
  }
}
