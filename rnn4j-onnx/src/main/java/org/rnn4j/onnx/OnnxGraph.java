package org.rnn4j.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * An ONNX model being assembled: nodes, initializers, inputs and outputs of one graph, then the
 * ModelProto around it. Field numbers are those of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto).
 */
final class OnnxGraph {
  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;

  private final Protobuf graph = new Protobuf();
  private int names;

  OnnxGraph(String name) {
    graph.string(2, name);
  }

  /** A fresh value name with this prefix. */
  String fresh(String prefix) {
    return prefix + "_" + names++;
  }

  /** Adds a node; returns its first output. */
  String node(String op, String[] inputs, String[] outputs, Protobuf... attributes) {
    Protobuf n = new Protobuf();
    for (String in : inputs) {
      n.string(1, in);
    }
    for (String out : outputs) {
      n.string(2, out);
    }
    n.string(3, outputs[0] + "_node").string(4, op);
    for (Protobuf a : attributes) {
      n.message(5, a);
    }
    graph.message(1, n);
    return outputs[0];
  }

  /** A one-output node whose output gets a fresh name. */
  String op(String op, Protobuf[] attributes, String... inputs) {
    return node(op, inputs, new String[] {fresh(op.toLowerCase(java.util.Locale.ROOT))}, attributes);
  }

  String op(String op, String... inputs) {
    return op(op, new Protobuf[0], inputs);
  }

  static Protobuf intAttr(String name, long v) {
    return new Protobuf().string(1, name).varint(3, v).varint(20, 2);
  }

  static Protobuf stringAttr(String name, String v) {
    return new Protobuf().string(1, name).string(4, v).varint(20, 3);
  }

  static Protobuf intsAttr(String name, long... v) {
    Protobuf a = new Protobuf().string(1, name);
    for (long x : v) {
      a.varint(8, x);
    }
    return a.varint(20, 7);
  }

  static Protobuf stringsAttr(String name, String... v) {
    Protobuf a = new Protobuf().string(1, name);
    for (String x : v) {
      a.string(9, x);
    }
    return a.varint(20, 8);
  }

  /** A float initializer, stored little-endian as raw_data. */
  String floats(String name, float[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return initializer(name, FLOAT, b.array(), dims);
  }

  /** An int64 initializer; no dims makes a scalar. */
  String longs(String name, long[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return initializer(name, INT64, b.array(), dims);
  }

  private String initializer(String name, int type, byte[] raw, long... dims) {
    Protobuf t = new Protobuf();
    for (long d : dims) {
      t.varint(1, d);
    }
    t.varint(2, type).string(8, name).bytes(9, raw);
    graph.message(5, t);
    return name;
  }

  /** A graph input or output; each dimension is a Long (fixed) or a String (symbolic). */
  void input(String name, int type, Object... dims) {
    graph.message(11, valueInfo(name, type, dims));
  }

  void output(String name, int type, Object... dims) {
    graph.message(12, valueInfo(name, type, dims));
  }

  private static Protobuf valueInfo(String name, int type, Object... dims) {
    Protobuf shape = new Protobuf();
    for (Object d : dims) {
      Protobuf dim = new Protobuf();
      if (d instanceof String s) {
        dim.string(2, s);
      } else {
        dim.varint(1, ((Number) d).longValue());
      }
      shape.message(1, dim);
    }
    Protobuf tensor = new Protobuf().varint(1, type).message(2, shape);
    return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensor));
  }

  /**
   * The ModelProto: IR version 8 (what opsets up to 18 pair with), the default-domain opset, the
   * producer and {@code metadata} as metadata_props.
   */
  byte[] model(int opset, String producerVersion, Map<String, String> metadata) {
    Protobuf m = new Protobuf().varint(1, 8).string(2, "rnn4j").string(3, producerVersion);
    m.message(7, graph);
    m.message(8, new Protobuf().string(1, "").varint(2, opset));
    metadata.forEach((k, v) -> m.message(14, new Protobuf().string(1, k).string(2, v)));
    return m.toBytes();
  }
}
