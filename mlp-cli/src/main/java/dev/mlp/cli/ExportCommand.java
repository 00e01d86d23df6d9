package dev.mlp.cli;

import dev.mlp.onnx.OnnxExport;
import dev.mlp.run.Model;
import dev.mlp.run.config.ConfigException;
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
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !force) {
      throw new ConfigException(target + ": already exists; give --force to replace it");
    }
    if (Files.isDirectory(target)) {
      throw new ConfigException(target + ": is a folder; --out names the file to write");
    }
    Model model = Model.load(checkpoint, plugins.registry());
    OnnxExport.write(model, target);
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

  private static Path defaultOut(Path checkpoint) {
    String name = checkpoint.getFileName().toString();
    String base = name.endsWith(".safetensors") ? name.substring(0, name.length() - 12) : name;
    return checkpoint.resolveSibling(base + ".onnx");
  }
}
