package dev.mlp.core.nn;

/**
 * A layer that can write what it computes at inference into an ONNX graph ({@code mlp export
 * --format onnx}). The built-in layers all do; a plugin's layer does by implementing this, and is
 * refused by the exporter, with its type named, when it does not.
 *
 * <pre>{@code
 * // Swish: y = x · σ(βx)
 * public String toOnnx(OnnxGraph g, String input) {
 *   String bx = g.node("Mul", Map.of(), input, g.constant("beta", new float[] {beta}));
 *   return g.node("Mul", Map.of(), input, g.node("Sigmoid", Map.of(), bx));
 * }
 * }</pre>
 */
public interface OnnxExportable {
  /**
   * Adds the nodes that compute this layer's output in evaluation mode from the float32 tensor
   * named {@code input}, of shape [N, {@link Layer#inputSize()}], and returns the name of its
   * output, of shape [N, {@link Layer#outputSize()}]. A loss adds its inference answer instead of
   * the loss ({@link Loss#infer}: probabilities, values); a layer that is the identity at inference
   * (dropout) returns {@code input}.
   */
  String toOnnx(OnnxGraph graph, String input);
}
