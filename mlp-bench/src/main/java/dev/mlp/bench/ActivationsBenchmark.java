package dev.mlp.bench;

import dev.mlp.core.check.GradientChecker;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import dev.mlp.layers.Gelu;
import dev.mlp.layers.LeakyRelu;
import dev.mlp.layers.Relu;
import dev.mlp.layers.Sigmoid;
import dev.mlp.layers.Tanh;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward and backward of one activation, at the seed's hidden layer (batch 32 × 128) and at a wide
 * one (batch 256 × 1024). Every activation runs first, so code the activations share has seen all
 * five of them (as in a program that uses several) before the one measured. Run with {@code -prof
 * gc} to see that a warm pass allocates nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ActivationsBenchmark {
  private static final List<String> TYPES =
      List.of("relu", "leaky_relu", "gelu", "tanh", "sigmoid");

  @Param({"relu", "leaky_relu", "gelu", "tanh", "sigmoid"})
  public String activation;

  @Param({"32x128", "256x1024"})
  public String shape;

  private Layer layer;
  private Tensor x;
  private Tensor dy;

  @Setup(Level.Trial)
  public void setUp() {
    String[] s = shape.split("x");
    int rows = Integer.parseInt(s[0]);
    int cols = Integer.parseInt(s[1]);
    x = GradientChecker.gaussian(rows, cols, new Rng(1));
    dy = GradientChecker.gaussian(rows, cols, new Rng(2));
    int passes = 40_000_000 / (rows * cols); // ≈ 10^4 for the seed's shape
    for (String type : TYPES) {
      Layer other = create(type, cols);
      for (int i = 0; i < passes; i++) {
        other.forward(x, Mode.TRAIN);
        other.backward(dy);
      }
    }
    layer = create(activation, cols);
  }

  private static Layer create(String type, int width) {
    return switch (type) {
      case "relu" -> new Relu(width);
      case "leaky_relu" -> new LeakyRelu(width, 0.01);
      case "gelu" -> new Gelu(width);
      case "tanh" -> new Tanh(width);
      case "sigmoid" -> new Sigmoid(width);
      default -> throw new IllegalArgumentException(type);
    };
  }

  @Benchmark
  public Tensor forwardBackward() {
    layer.forward(x, Mode.TRAIN);
    return layer.backward(dy);
  }
}
