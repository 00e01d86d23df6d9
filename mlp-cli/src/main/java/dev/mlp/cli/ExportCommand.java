package dev.mlp.cli;

import dev.mlp.onnx.OnnxExport;
import dev.mlp.run.Model;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.folder.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlp export --checkpoint FILE --format onnx --out model.onnx}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write a checkpoint's model in another format, for another runtime: ONNX (opset 17), one"
          + " float32 input 'input' [N, features] and one output [N, outputs]: 'probabilities' for"
          + " a softmax classifier, 'values' for a regressor. A table model's scaling is inside"
          + " the graph; how to make the inputs, the class names and the config are in its"
          + " metadata (mlp.input, mlp.inputs, mlp.classes, mlp.config).",
      "An existing file is not replaced unless --force is given; the file appears whole or not at"
          + " all."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "A checkpoint, e.g. runs/<run>/checkpoints/best.safetensors.")
  Path checkpoint;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "onnx",
      description = "The format to write: onnx (the default and, for now, the only one).")
  String format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write it (default: the checkpoint's name with .onnx).")
  Path out;

  @Option(names = "--force", description = "Replace --out if it exists.")
  boolean force;

  @Mixin PluginOptions plugins;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("onnx")) {
      throw new ConfigException("--format: unknown format '" + format + "'; expected onnx");
    }
    Path target = out != null ? out : defaultOut(checkpoint);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new ConfigException(
            target
                + ": is not a regular file (a folder, link, device or pipe); --out names a file to write");
      }
      if (Files.exists(checkpoint) && Files.isSameFile(target, checkpoint)) {
        throw new ConfigException(
            target + ": is the checkpoint itself; write the ONNX file elsewhere");
      }
      if (!force) {
        throw new ConfigException(target + ": already exists; give --force to replace it");
      }
    }
    Model model = Model.load(checkpoint, plugins.registry());
    byte[] onnx = OnnxExport.toOnnx(model).toByteArray();
    try {
      if (force) {
        AtomicFile.write(target, onnx);
      } else {
        createNew(target, onnx);
      }
    } catch (IOException e) {
      throw new IOException(
          target + ": cannot write the ONNX file (" + dev.mlp.data.files.InputFiles.reason(e) + ")",
          e);
    }
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        "%s: ONNX opset %d, %s; input '%s' [N, %d] -> output '%s' [N, %d]%n",
        target,
        OnnxExport.OPSET,
        dev.mlp.data.files.InputFiles.bytes(Files.size(target)),
        OnnxExport.INPUT,
        model.inputSize(),
        OnnxExport.outputName(model),
        model.numClasses());
    o.flush();
    return ExitCode.OK;
  }

  /**
   * Writes {@code bytes} to {@code target} whole, and only if no file is there by then: a temporary
   * file beside it, hard-linked to the name (which fails if the name is taken, even by another
   * export a moment earlier).
   */
  private static void createNew(Path target, byte[] bytes) throws IOException, ConfigException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.write(tmp, bytes);
      try (var ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.createLink(target, tmp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        throw new ConfigException(target + ": already exists; give --force to replace it");
      } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          throw new ConfigException(target + ": already exists; give --force to replace it");
        }
        // a file system without hard links: refuses an existing name, though not atomically
        Files.move(tmp, target);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path defaultOut(Path checkpoint) {
    String name = checkpoint.getFileName().toString();
    String base = name.endsWith(".safetensors") ? name.substring(0, name.length() - 12) : name;
    return checkpoint.resolveSibling(base + ".onnx");
  }
}
