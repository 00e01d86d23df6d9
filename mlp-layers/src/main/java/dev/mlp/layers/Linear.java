package dev.mlp.layers;

import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.config.PreferredInit;
import dev.mlp.core.config.SpecException;
import dev.mlp.core.init.Initializer;
import dev.mlp.core.init.XavierUniformSpec;
import dev.mlp.core.init.ZerosSpec;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.OnnxExportable;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.random.Rng;
import dev.mlp.core.registry.LayerContext;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Fully connected: Y = X · Wᵀ + b, with W stored [out, in] as in the seed and PyTorch. The forward
 * pass is dot products of rows of X with rows of W, the weight gradient a sum of rows of X: both
 * stream contiguous rows of length {@code in}, and each output unit's row of W is a unit of work
 * that one thread owns (see ParallelKernels).
 */
public final class Linear implements Layer, OnnxExportable {
  private final int in;
  private final int out;
  private final Parameter weight;
  private final Parameter bias;
  private final Kernels kernels;
  private boolean inputGradientNeeded = true;

  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  public Linear(int in, int out, Kernels kernels) {
    this.in = in;
    this.out = out;
    this.kernels = kernels;
    this.weight = Parameter.matrix("weight", out, in);
    this.bias = Parameter.vector("bias", out);
  }

  /** Builds from a spec: checks a declared input width against the inferred one, initialises. */
  static Linear create(LinearSpec spec, LayerContext ctx) {
    if (spec.inputs() != null && spec.inputs() != ctx.inputSize()) {
      throw new SpecException(
          ctx.path() + ".inputs",
          "linear expects "
              + spec.inputs()
              + " inputs but the previous layer gives "
              + ctx.inputSize());
    }
    Linear layer = new Linear(ctx.inputSize(), spec.units(), ctx.kernels());
    // no init given: what the activation after this layer prefers, else the seed's Xavier
    InitializerSpec fallback =
        ctx.next() instanceof PreferredInit p ? p.preferredInit() : new XavierUniformSpec();
    layer.initialize(
        ctx.initializer(spec.init(), fallback),
        ctx.initializer(spec.biasInit(), new ZerosSpec()),
        ctx.rng());
    return layer;
  }

  public void initialize(Initializer weights, Initializer biases, Rng rng) {
    weights.initialize(weight.value(), in, out, rng);
    biases.initialize(bias.value(), in, out, rng);
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }

  @Override
  public int inputSize() {
    return in;
  }

  @Override
  public int outputSize() {
    return out;
  }

  @Override
  public Tensor forward(Tensor x, Mode mode) {
    int n = x.rows();
    input = x;
    output = Tensor.reuse(output, n, out);
    // Y = X · Wᵀ + b
    kernels.matmulTransB(
        x.data(), weight.value().data(), bias.value().data(), output.data(), n, out, in);
    return output;
  }

  @Override
  public Tensor backward(Tensor dy) {
    int n = dy.rows();
    // dW = dYᵀ · X
    kernels.matmulTransA(dy.data(), input.data(), weight.grad().data(), out, in, n);
    // db = Σ_rows dY
    float[] db = bias.grad().data();
    float[] g = dy.data();
    java.util.Arrays.fill(db, 0f);
    for (int r = 0; r < n; r++) {
      int base = r * out;
      for (int j = 0; j < out; j++) {
        db[j] += g[base + j];
      }
    }
    if (!inputGradientNeeded) {
      return null;
    }
    // dX = dY · W
    gradInput = Tensor.reuse(gradInput, n, in);
    kernels.matmul(g, weight.value().data(), gradInput.data(), n, in, out);
    return gradInput;
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }

  @Override
  public void setInputGradientNeeded(boolean needed) {
    this.inputGradientNeeded = needed;
  }

  @Override
  public long multiplyAddsPerSample() {
    return (long) in * out;
  }

  @Override
  public String typeName() {
    return "linear";
  }

  @Override
  public String toString() {
    return "linear(" + in + " → " + out + ")";
  }

  @Override
  public String toOnnx(OnnxGraph g, String input) {
    // y = x·Wᵀ + b, W stored [out, in]
    String w = g.constant("weight", weight.value().data(), out, in);
    String b = g.constant("bias", bias.value().data(), out);
    return g.node("Gemm", Map.of("transB", 1L), input, w, b);
  }
}
