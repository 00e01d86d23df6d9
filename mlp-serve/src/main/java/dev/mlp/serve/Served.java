package dev.mlp.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.nn.Layer;
import dev.mlp.data.fetch.FileStore;
import dev.mlp.data.mnist.FashionMnistSpec;
import dev.mlp.data.mnist.MnistSpec;
import dev.mlp.run.Mlp;
import dev.mlp.run.Model;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.image.ImageFolderSpec;
import dev.mlp.run.table.TableInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One checkpoint as served: a replica of its model per worker (a {@link Model} is one thread at a
 * time), taken for a request and given back, and what {@code GET /v1/model} says of it. A reload
 * makes a new {@code Served}; requests that hold a replica of the old one finish on it.
 */
final class Served {
  private final BlockingQueue<Model> idle;
  private final Model first;
  private final Path file;
  private final String sha256;
  private final int epoch;
  private final Instant loadedAt;
  private final byte[] info;

  private Served(List<Model> replicas, Path file, String sha256, int epoch, ServeOptions options)
      throws IOException {
    this.idle = new ArrayBlockingQueue<>(replicas.size(), false, replicas);
    this.first = replicas.get(0);
    this.file = file;
    this.sha256 = sha256;
    this.epoch = epoch;
    this.loadedAt = Instant.now();
    this.info =
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(info(options));
  }

  /** Loads {@code file} once and makes {@code options.workers()} replicas of it. */
  static Served load(Path file, dev.mlp.core.registry.Registry registry, ServeOptions options)
      throws IOException, ConfigException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          file
              + (Files.exists(file)
                  ? ": not a regular file (a checkpoint is a file)"
                  : ": no such checkpoint file"));
    }
    // hashed before and after it is read: a file replaced while it was read is read again, so the
    // hash named in answers is always the one of the weights answering
    String sha = FileStore.sha256(file);
    Model model = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      model = Model.load(file, registry);
      String after = FileStore.sha256(file);
      if (after.equals(sha)) {
        break;
      }
      sha = after;
      model = null;
    }
    if (model == null) {
      throw new IOException(file + ": it kept changing while it was read; not loaded");
    }
    List<Model> replicas = new ArrayList<>();
    replicas.add(model);
    for (int i = 1; i < options.workers(); i++) {
      replicas.add(model.replica());
    }
    int epoch;
    try {
      epoch = model.epoch();
    } catch (IOException e) {
      epoch = 0;
    }
    return new Served(replicas, file, sha, epoch, options);
  }

  /** A replica, waiting for one to be free; null if none is within {@code millis}. */
  Model take(long millis) throws InterruptedException {
    return idle.poll(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** A replica, waiting however long it takes (the warm-up's). */
  Model take() throws InterruptedException {
    return idle.take();
  }

  void give(Model m) {
    idle.add(m);
  }

  /** The model's shape and names (the same for every replica). */
  Model model() {
    return first;
  }

  String sha256() {
    return sha256;
  }

  int epoch() {
    return epoch;
  }

  Path file() {
    return file;
  }

  /** {@code GET /v1/model}, as bytes. */
  byte[] infoJson() {
    return info;
  }

  /** Whether pictures can be sent: a model of 28×28 MNIST-like images or of an image folder. */
  boolean takesPictures() {
    DatasetSpec data = first.config().data();
    return data instanceof ImageFolderSpec
        || first.inputSize() == 784
            && (data instanceof MnistSpec || data instanceof FashionMnistSpec);
  }

  boolean regression() {
    return first.regression();
  }

  /** probabilities, scores or values. */
  String output() {
    return first.outputName();
  }

  private ObjectNode info(ServeOptions options) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode o = json.createObjectNode();
    Model m = first;
    String name = m.checkpoint().configName();
    o.put("name", name == null || name.isBlank() ? file.getFileName().toString() : name);
    o.put("task", regression() ? "regression" : "classification");
    o.put("output", output());
    ObjectNode input = o.putObject("input");
    input.put("features", m.inputSize());
    TableInput table = m.table();
    DatasetSpec data = m.config().data();
    if (table != null) {
      input.put("kind", "table");
      ArrayNode cols = input.putArray("columns");
      String last = null;
      ObjectNode col = null;
      for (TableInput.Slot s : table.slots()) {
        if (!s.column().equals(last)) {
          col = cols.addObject().put("name", s.column());
          col.put("type", s.category() == null ? "number" : "category");
          if (s.category() == null) {
            col.put("mean", s.center()); // the centre training scaled around: a fair default
          }
          last = s.column();
        }
        if (s.category() != null) {
          (col.has("categories") ? (ArrayNode) col.get("categories") : col.putArray("categories"))
              .add(s.category());
        }
      }
      input.put("label", table.label());
      input.put("missing_allowed", table.fillsMissing());
    } else if (takesPictures()) {
      input.put("kind", "image");
      int h = 28;
      int w = 28;
      int c = 1;
      if (data instanceof ImageFolderSpec f) {
        h = f.size().get(0);
        w = f.size().get(1);
        c = f.channels();
      }
      input.put("height", h).put("width", w).put("channels", c);
      input.put(
          "prepared",
          data instanceof MnistSpec
              ? "mnist: grey, white on black (a dark-on-light picture is inverted), the digit"
                  + " fitted into 20×20 and centred by its centre of mass"
              : data instanceof FashionMnistSpec
                  ? "fashion_mnist: grey, light on black, the product fitted into 28×28 and"
                      + " centred"
                  : "resized to " + h + "×" + w + ", pixels in [0, 1]");
    } else {
      input.put("kind", "vector");
    }
    if (!regression()) {
      ArrayNode classes = o.putArray("classes");
      m.classNames().forEach(classes::add);
    }
    o.put("outputs", m.numClasses());
    ArrayNode layers = o.putArray("layers");
    for (Layer l : m.network().layers()) {
      layers.add(l.typeName());
    }
    o.put("parameters", m.network().parameterCount());
    ObjectNode ck = o.putObject("checkpoint");
    ck.put("path", file.toString());
    ck.put("sha256", sha256);
    ck.put("epoch", epoch);
    ck.put("loaded_at", loadedAt.toString());
    o.put("config", m.checkpoint().configYaml());
    o.put("mlp_version", Mlp.version());
    ObjectNode limits = o.putObject("limits");
    limits.put("max_body_bytes", options.maxBodyBytes());
    limits.put("max_batch", options.maxBatch());
    return o;
  }
}
