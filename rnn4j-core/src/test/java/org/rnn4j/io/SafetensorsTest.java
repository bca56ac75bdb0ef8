package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir
  Path dir;

  /** The tensors of java_written.safetensors, which tools/golden/make_golden.py loads in Python. */
  static byte[] javaWritten() {
    return Safetensors.toBytes(List.of(
        Safetensors.Tensor.ofFloats("weights", new float[] {0.5f, -1.25f, 3f, 1e-3f, -0f, 65504f}, 2, 3),
        Safetensors.Tensor.ofLongs("ids", new long[] {0, -1, 1L << 40}, 3)),
        Map.of("format", "pt"));
  }

  /** A view streams the same bytes a copy would, for a range of a larger array and across write chunks. */
  @Test
  void viewOfFloats_writesTheSameBytesAsACopy(@TempDir Path dir) throws Exception {
    float[] big = new float[70_000]; // more than one 64 KB write chunk
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) Math.sin(i) * i;
    }
    float[] part = java.util.Arrays.copyOfRange(big, 5, 5 + 6 * 11_000);
    List<Safetensors.Tensor> copies = List.of(Safetensors.Tensor.ofFloats("a", part, 6, 11_000),
        Safetensors.Tensor.ofFloats("b", new float[] {1, 2}, 2));
    List<Safetensors.Tensor> views = List.of(Safetensors.Tensor.viewOfFloats("a", big, 5, 6 * 11_000, 6, 11_000),
        Safetensors.Tensor.viewOfFloats("b", new float[] {0, 1, 2}, 1, 2, 2));
    byte[] expected = Safetensors.toBytes(copies, Map.of("k", "v"));
    assertArrayEquals(expected, Safetensors.toBytes(views, Map.of("k", "v")));
    Path f = dir.resolve("v.safetensors");
    Safetensors.write(f, views, Map.of("k", "v"));
    assertArrayEquals(expected, Files.readAllBytes(f));
    assertArrayEquals(part, views.get(0).toFloats());
  }

  @Test
  void viewOfFloats_rangeOutsideTheArray_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Safetensors.Tensor.viewOfFloats("w", new float[4], 2, 3, 3));
    assertEquals("tensor w: range [2, 5) is outside an array of 4", e.getMessage());
  }

  @Test
  void write_matchesTheFileVerifiedInPython() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/golden/java_written.safetensors")) {
      byte[] committed = in.readAllBytes();
      assertArrayEquals(committed, javaWritten(),
          "writer output changed; regenerate java_written.safetensors and re-run make_golden.py");
    }
  }

  @Test
  void read_pythonWrittenFixture() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/golden/lstm_l1_uni_equal.safetensors")) {
      Safetensors.Contents c = Safetensors.read(in.readAllBytes());
      assertEquals("lstm", c.metadata().get("cell"));
      Safetensors.Tensor w = c.get("rnn.weight_ih_l0");
      assertEquals(Safetensors.DType.F32, w.dtype());
      assertArrayEquals(new long[] {20, 4}, w.shape());
      assertEquals(Safetensors.DType.I64, c.get("lengths").dtype());
    }
  }

  @Test
  void roundTrip_preservesValuesShapesAndMetadata() throws Exception {
    Path f = dir.resolve("m.safetensors");
    float[] values = {1.5f, Float.MIN_VALUE, -3e38f, 0f, 7f, 8f};
    Safetensors.write(f, List.of(Safetensors.Tensor.ofFloats("a.b", values, 3, 2),
        Safetensors.Tensor.ofFloats("scalar", new float[] {4f})), Map.of("k", "v"));
    Safetensors.Contents c = Safetensors.read(f);
    assertArrayEquals(values, c.get("a.b").toFloats());
    assertArrayEquals(new long[] {3, 2}, c.get("a.b").shape());
    assertArrayEquals(new long[] {}, c.get("scalar").shape());
    assertEquals("v", c.metadata().get("k"));
    assertEquals(0, (Files.size(f) - 8 - c.get("a.b").elements() * 4 - 4) % 8, "header padded to 8 bytes");
  }

  @Test
  void read_halfAndBfloat16() throws Exception {
    String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]}}";
    ByteBuffer buf = frame(header, 10);
    buf.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x0001); // 1, -2, 2^-24
    buf.putShort((short) 0x3F80).putShort((short) 0x4049);                            // 1, 3.140625
    Safetensors.Contents c = Safetensors.read(buf.array());
    assertArrayEquals(new float[] {1f, -2f, (float) Math.pow(2, -24)}, c.get("h").toFloats());
    assertArrayEquals(new float[] {1f, 3.140625f}, c.get("b").toFloats());
  }

  private static ByteBuffer frame(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b;
  }

  private static String corruptMessage(byte[] bytes) {
    return assertThrows(FormatException.class, () -> Safetensors.read(bytes)).getMessage();
  }

  @Test
  void read_emptyFile() {
    assertEquals("not a safetensors file: 0 bytes, shorter than the 8-byte header length",
        corruptMessage(new byte[0]));
  }

  @Test
  void read_truncatedData() {
    byte[] ok = javaWritten();
    byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 5);
    assertTrue(corruptMessage(cut).contains("fall outside the"), corruptMessage(cut));
  }

  @Test
  void read_truncatedHeader() {
    byte[] ok = javaWritten();
    byte[] cut = java.util.Arrays.copyOf(ok, 40);
    assertTrue(corruptMessage(cut).startsWith("not a safetensors file or truncated: header length"));
  }

  @Test
  void read_bitFlipInHeader() {
    byte[] b = javaWritten();
    b[9] ^= 0x40; // '"' of the first key becomes 'b'
    assertTrue(corruptMessage(b).startsWith("corrupt safetensors header"), corruptMessage(b));
  }

  @Test
  void read_hugeHeaderLength() {
    byte[] b = javaWritten();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
    assertTrue(corruptMessage(b).contains("does not fit"));
  }

  @Test
  void read_unknownDtype() {
    ByteBuffer b = frame("{\"x\":{\"dtype\":\"F8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1);
    assertEquals("tensor 'x' has unsupported dtype F8", corruptMessage(b.array()));
  }

  @Test
  void read_shapeDisagreesWithOffsets() {
    ByteBuffer b = frame("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
    assertEquals("tensor 'x' spans 8 bytes but shape [3] of F32 needs 12", corruptMessage(b.array()));
  }

  @Test
  void read_gapBetweenTensors() {
    ByteBuffer b = frame("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
    assertEquals("tensor data is not contiguous at byte 0", corruptMessage(b.array()));
  }

  @Test
  void read_trailingBytes() {
    ByteBuffer b = frame("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8);
    assertEquals("data area has 8 bytes but the tensors cover 4", corruptMessage(b.array()));
  }

  @Test
  void read_missingFileNamesPath() {
    Path f = dir.resolve("absent.safetensors");
    Exception e = assertThrows(java.nio.file.NoSuchFileException.class, () -> Safetensors.read(f));
    assertTrue(e.getMessage().contains("absent.safetensors"));
  }

  @Test
  void readFile_prefixesErrorsWithPath() throws Exception {
    Path f = dir.resolve("bad.safetensors");
    Files.write(f, new byte[3]);
    FormatException e = assertThrows(FormatException.class, () -> Safetensors.read(f));
    assertTrue(e.getMessage().startsWith(f.toString() + ": not a safetensors file"), e.getMessage());
  }

  @Test
  void ofFloats_rejectsShapeMismatch() {
    assertEquals("tensor t: 3 values do not fill shape [2, 2]",
        assertThrows(IllegalArgumentException.class,
            () -> Safetensors.Tensor.ofFloats("t", new float[3], 2, 2)).getMessage());
  }
}
