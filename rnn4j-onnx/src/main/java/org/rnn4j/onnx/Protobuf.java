package org.rnn4j.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A protobuf message being written: fields appended in order, in the wire format of
 * https://protobuf.dev/programming-guides/encoding/ (varints, length-delimited bytes and nested
 * messages, fixed 32-bit floats). onnx.proto needs nothing more, so the exporter needs no library.
 */
final class Protobuf {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Protobuf varint(int field, long value) {
    tag(field, VARINT);
    raw(value);
    return this;
  }

  Protobuf string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  Protobuf bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    raw(value.length);
    out.writeBytes(value);
    return this;
  }

  Protobuf message(int field, Protobuf value) {
    return bytes(field, value.toBytes());
  }

  Protobuf float32(int field, float value) {
    tag(field, FIXED32);
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
    return this;
  }

  byte[] toBytes() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    raw(((long) field << 3) | wireType);
  }

  /** Unsigned LEB128; negative int64 values take ten bytes, as protobuf encodes them. */
  private void raw(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
