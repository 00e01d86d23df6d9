package dev.mlp.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load test of {@code mlp serve} from another process, over loopback: {@code clients} connections
 * (HTTP/1.1 keep-alive, one request at a time each, as many services call a model) each sending
 * {@code requests} predictions of {@code batch} MNIST test images, then the requests/s, latency
 * percentiles, errors and the server's resident memory (from /proc, peak and at the end). Bounded
 * in count; a request that takes over a minute ends the run as an error.
 *
 * <pre>
 * java -cp mlp-bench/target/mlp-benchmarks.jar dev.mlp.bench.ServeLoad PORT SERVER_PID \
 *     CLIENTS REQUESTS BATCH[,BATCH...] MNIST_T10K_IMAGES [--json]
 * </pre>
 */
public final class ServeLoad {
  private ServeLoad() {}

  /** What a run measured. */
  public record Result(
      int clients,
      int requests,
      int batch,
      int errors,
      double seconds,
      double p50Millis,
      double p99Millis,
      double maxMillis,
      long rssStartKb,
      long rssPeakKb,
      long rssEndKb) {
    double requestsPerSecond() {
      return (double) clients * requests / seconds;
    }

    String json() {
      return String.format(
          Locale.ROOT,
          "{\"clients\":%d,\"requests_per_client\":%d,\"batch\":%d,\"errors\":%d,\"seconds\":%.3f,"
              + "\"requests_per_second\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
              + "\"rss_start_kb\":%d,\"rss_peak_kb\":%d,\"rss_end_kb\":%d}",
          clients,
          requests,
          batch,
          errors,
          seconds,
          requestsPerSecond(),
          p50Millis,
          p99Millis,
          maxMillis,
          rssStartKb,
          rssPeakKb,
          rssEndKb);
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "%d clients × %d requests of batch %d: %.0f requests/s, p50 %.3f ms, p99 %.3f ms, max"
              + " %.1f ms, %d errors; server RSS %d MB at start, %d MB peak, %d MB at the end",
          clients,
          requests,
          batch,
          requestsPerSecond(),
          p50Millis,
          p99Millis,
          maxMillis,
          errors,
          rssStartKb / 1024,
          rssPeakKb / 1024,
          rssEndKb / 1024);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      System.err.println(
          "usage: ServeLoad PORT SERVER_PID CLIENTS REQUESTS BATCH[,BATCH...] MNIST_T10K_IMAGES"
              + " [--json]");
      System.exit(2);
    }
    // one round a batch size listed, one after another from this one process: a client that stays
    // up, as a service calling the model does, and whose own JIT warm-up ends in the first rounds
    boolean failed = false;
    for (String batch : args[4].split(",")) {
      Result r =
          run(
              Integer.parseInt(args[0]),
              Long.parseLong(args[1]),
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              Integer.parseInt(batch.strip()),
              Path.of(args[5]));
      System.out.println(args.length > 6 && args[6].equals("--json") ? r.json() : r.line());
      failed |= r.errors() != 0;
    }
    System.exit(failed ? 1 : 0);
  }

  /** Runs the load and measures it. */
  public static Result run(int port, long pid, int clients, int requests, int batch, Path images)
      throws Exception {
    List<byte[]> bodies = bodies(images, batch, 64);
    Rss rss = new Rss(pid);
    rss.start();
    long[][] latencies = new long[clients][requests];
    AtomicLong errors = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t =
          new Thread(
              () -> {
                try {
                  client(port, bodies, client, latencies[client], errors);
                } catch (IOException e) {
                  errors.addAndGet(requests);
                }
              },
              "load-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    rss.stop = true;
    rss.join();
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    return new Result(
        clients,
        requests,
        batch,
        (int) errors.get(),
        seconds,
        at(all, 0.50) / 1e6,
        at(all, 0.99) / 1e6,
        all[all.length - 1] / 1e6,
        rss.start,
        rss.peak,
        Rss.read(pid));
  }

  private static long at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  /** One connection, {@code latencies.length} requests one after another. */
  private static void client(
      int port, List<byte[]> bodies, int client, long[] latencies, AtomicLong errors)
      throws IOException {
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
      byte[] buf = new byte[1 << 16];
      for (int i = 0; i < latencies.length; i++) {
        byte[] req = bodies.get((client * 7 + i) % bodies.size());
        long t = System.nanoTime();
        out.write(req);
        out.flush();
        int status = readResponse(in, buf);
        latencies[i] = System.nanoTime() - t;
        if (status != 200) {
          errors.incrementAndGet();
        }
      }
    }
  }

  /** Reads one response (status line, headers, Content-Length body) and returns its status. */
  private static int readResponse(InputStream in, byte[] buf) throws IOException {
    StringBuilder head = new StringBuilder();
    int prev3 = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the server closed the connection");
      }
      head.append((char) b);
      prev3 = (prev3 << 8 | b) & 0xFFFFFFFF;
      if (prev3 == 0x0D0A0D0A) {
        break;
      }
    }
    String h = head.toString();
    int status = Integer.parseInt(h.substring(9, 12));
    int at = h.toLowerCase(Locale.ROOT).indexOf("content-length:");
    if (at < 0) {
      throw new IOException("a response without Content-Length");
    }
    int end = h.indexOf('\r', at);
    long length = Long.parseLong(h.substring(at + 15, end).strip());
    while (length > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, length));
      if (r < 0) {
        throw new IOException("the response ended early");
      }
      length -= r;
    }
    return status;
  }

  /** {@code count} requests of {@code batch} MNIST test images each, pixel / 255, as HTTP bytes. */
  static List<byte[]> bodies(Path images, int batch, int count) throws IOException {
    byte[] idx = Files.readAllBytes(images);
    int n = (idx.length - 16) / 784;
    List<byte[]> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      StringBuilder json = new StringBuilder(batch * 784 * 4).append("{\"inputs\":[");
      for (int r = 0; r < batch; r++) {
        int img = (k * batch + r) % n;
        json.append(r == 0 ? "[" : ",[");
        for (int j = 0; j < 784; j++) {
          int v = idx[16 + img * 784 + j] & 0xFF;
          if (j > 0) {
            json.append(',');
          }
          json.append(v == 0 ? "0" : v == 255 ? "1" : String.valueOf(v / 255f));
        }
        json.append(']');
      }
      json.append("]}");
      byte[] body = json.toString().getBytes(StandardCharsets.US_ASCII);
      byte[] head =
          ("POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      byte[] req = Arrays.copyOf(head, head.length + body.length);
      System.arraycopy(body, 0, req, head.length, body.length);
      out.add(req);
    }
    return out;
  }

  /** The server's resident memory, sampled every 20 ms. */
  private static final class Rss extends Thread {
    final long pid;
    final long start;
    volatile long peak;
    volatile boolean stop;

    Rss(long pid) {
      super("rss");
      setDaemon(true);
      this.pid = pid;
      this.start = read(pid);
      this.peak = start;
    }

    @Override
    public void run() {
      while (!stop) {
        peak = Math.max(peak, read(pid));
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /** VmRSS in kB, or 0 where /proc does not tell. */
    static long read(long pid) {
      try {
        for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
          if (l.startsWith("VmRSS:")) {
            return Long.parseLong(l.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux, or gone
      }
      return 0;
    }
  }
}
