package dev.mlp.onnx;

import com.google.protobuf.ByteString;
import dev.mlp.core.nn.OnnxGraph;
import dev.mlp.onnx.proto.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@link OnnxGraph} the exporter hands each layer: names everything under the layer's scope
 * ({@code layers.0.weight}, {@code layers.0/Gemm}), so two layers never clash, and turns constants
 * into initializers and nodes into {@code NodeProto}s.
 */
final class GraphBuilder implements OnnxGraph {
  private final Onnx.GraphProto.Builder graph;
  private final Set<String> names = new HashSet<>();
  private String scope = "graph";

  GraphBuilder(Onnx.GraphProto.Builder graph) {
    this.graph = graph;
  }

  /** Names what is added next after {@code scope} (a layer's config path). */
  void scope(String scope) {
    this.scope = scope;
  }

  /** Reserves a name that a node or constant must not take (the graph's input and output). */
  void reserve(String name) {
    names.add(name);
  }

  @Override
  public int opset() {
    return OnnxExport.OPSET;
  }

  @Override
  public String constant(String name, float[] values, long... dims) {
    long count = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException(scope + ": constant " + name + " has a negative side");
      }
      count *= d;
    }
    if (count != values.length) {
      throw new IllegalArgumentException(
          scope + ": constant " + name + " has " + values.length + " values for " + count);
    }
    String unique = unique(scope + "." + name);
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    Onnx.TensorProto.Builder t =
        Onnx.TensorProto.newBuilder()
            .setName(unique)
            .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
            .setRawData(ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return unique;
  }

  @Override
  public String node(String op, Map<String, Object> attributes, String... inputs) {
    String output = unique(scope + "/" + op);
    Onnx.NodeProto.Builder n =
        Onnx.NodeProto.newBuilder().setName(output).setOpType(op).addOutput(output);
    for (String input : inputs) {
      n.addInput(input);
    }
    // sorted: the same model gives the same bytes whatever order the map iterates in
    for (Map.Entry<String, Object> a : new TreeMap<>(attributes).entrySet()) {
      n.addAttribute(attribute(a.getKey(), a.getValue()));
    }
    graph.addNode(n);
    return output;
  }

  /** Adds a node that gives {@code from} the graph-output name {@code name}. */
  void rename(String from, String name) {
    graph.addNode(
        Onnx.NodeProto.newBuilder()
            .setName(name)
            .setOpType("Identity")
            .addInput(from)
            .addOutput(name));
  }

  private String unique(String base) {
    String name = base;
    for (int i = 1; !names.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  private Onnx.AttributeProto attribute(String name, Object value) {
    Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name);
    if (value instanceof Float || value instanceof Double) {
      a.setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(((Number) value).floatValue());
    } else if (value instanceof Integer || value instanceof Long) {
      a.setType(Onnx.AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
    } else if (value instanceof String s) {
      a.setType(Onnx.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
    } else if (value instanceof float[] fs) {
      a.setType(Onnx.AttributeProto.AttributeType.FLOATS);
      for (float f : fs) {
        a.addFloats(f);
      }
    } else if (value instanceof long[] is) {
      a.setType(Onnx.AttributeProto.AttributeType.INTS);
      for (long i : is) {
        a.addInts(i);
      }
    } else {
      throw new IllegalArgumentException(
          scope
              + ": attribute "
              + name
              + " is a "
              + (value == null ? "null" : value.getClass().getSimpleName())
              + "; expected a Float, Double, Integer, Long, String, float[] or long[]");
    }
    return a.build();
  }
}
