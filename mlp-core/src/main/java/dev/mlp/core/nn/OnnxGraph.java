package dev.mlp.core.nn;

import java.util.Map;

/**
 * The ONNX graph a layer adds itself to ({@link OnnxExportable}): float32 constants and nodes of
 * the standard operator set, named by the exporter so that two layers never clash. It needs no ONNX
 * library: the exporter turns what it is given into the ONNX protobuf.
 */
public interface OnnxGraph {
  /** The version of the standard operator set the graph is checked against (17). */
  int opset();

  /**
   * Adds a float32 constant (an initializer) and returns its name.
   *
   * @param name what to call it within the layer ({@code weight}); the exporter makes it unique
   * @param values row-major, as many as the dimensions' product
   * @param dims its shape; none for a scalar
   */
  String constant(String name, float[] values, long... dims);

  /**
   * Adds a node of the standard operator set with one output and returns the output's name.
   *
   * @param op the operator ({@code Gemm}, {@code Sigmoid}, ...)
   * @param attributes by name: a {@code Float} or {@code Double} (a float), an {@code Integer} or
   *     {@code Long} (an int), a {@code String}, a {@code float[]} or a {@code long[]}
   * @param inputs the names of its inputs, in order ("" for an optional one left out)
   */
  String node(String op, Map<String, Object> attributes, String... inputs);
}
