package org.rnn4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reader and writer for the safetensors format: an 8-byte little-endian header length, a JSON
 * header mapping each tensor name to {dtype, shape, data_offsets} (plus an optional string map
 * {@code __metadata__}), then the raw little-endian data. Files written by Python's
 * {@code safetensors.torch.save_file} load here, and files written here load there.
 *
 * <p>Reading is strict: offsets must tile the data area exactly (no gap, overlap or overrun), so a
 * truncated or bit-flipped header is reported instead of yielding a half-valid model.
 *
 * <p>One format in one file: the reader's checks and the writer's layout are the same rules, seen
 * from both sides.
 */
public final class Safetensors {
  private static final long MAX_HEADER = 100L << 20;

  private Safetensors() {}

  /** Element types; names as in the format. */
  public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }

    public int bytes() {
      return bytes;
    }

    public boolean isFloatingPoint() {
      return this == F64 || this == F32 || this == F16 || this == BF16;
    }
  }

  /** One named tensor. */
  public static final class Tensor {
    private final String name;
    private final DType dtype;
    private final long[] shape;
    private ByteBuffer data;
    // A view of live floats (no copy until written); data is null until something needs bytes.
    private final float[] floats;
    private final int floatOffset;
    private final int floatCount;

    private Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {
      this.name = name;
      this.dtype = dtype;
      this.shape = shape;
      this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
      this.floats = null;
      this.floatOffset = 0;
      this.floatCount = 0;
    }

    private Tensor(String name, long[] shape, float[] floats, int offset, int count) {
      this.name = name;
      this.dtype = DType.F32;
      this.shape = shape;
      this.floats = floats;
      this.floatOffset = offset;
      this.floatCount = count;
    }

    /**
     * An F32 tensor over values[offset, offset + count) without copying them: writing it streams
     * the live values, so they must not change until the write returns. Checkpoints of large
     * models use it to avoid holding a second and third copy of every weight.
     */
    public static Tensor viewOfFloats(String name, float[] values, int offset, int count, long... shape) {
      checkCount(name, count, shape);
      if (offset < 0 || count < 0 || offset + count > values.length) {
        throw new IllegalArgumentException("tensor " + name + ": range [" + offset + ", " + (offset + count)
            + ") is outside an array of " + values.length);
      }
      return new Tensor(name, shape.clone(), values, offset, count);
    }

    private ByteBuffer data() {
      if (data == null) {
        ByteBuffer b = ByteBuffer.allocate(floatCount * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(floats, floatOffset, floatCount);
        data = b;
      }
      return data;
    }

    /** Writes the little-endian bytes, a chunk at a time. */
    void writeData(OutputStream out, byte[] chunk) throws IOException {
      if (floats == null || data != null) {
        ByteBuffer b = data.duplicate();
        while (b.hasRemaining()) {
          int n = Math.min(chunk.length, b.remaining());
          b.get(chunk, 0, n);
          out.write(chunk, 0, n);
        }
        return;
      }
      ByteBuffer wrap = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < floatCount; ) {
        int n = Math.min(chunk.length / 4, floatCount - i);
        wrap.clear();
        wrap.asFloatBuffer().put(floats, floatOffset + i, n);
        out.write(chunk, 0, n * 4);
        i += n;
      }
    }

    /** An F32 tensor holding a copy of {@code values}. */
    public static Tensor ofFloats(String name, float[] values, long... shape) {
      checkCount(name, values.length, shape);
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      return new Tensor(name, DType.F32, shape.clone(), b);
    }

    /** An I64 tensor. */
    public static Tensor ofLongs(String name, long[] values, long... shape) {
      checkCount(name, values.length, shape);
      ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      b.asLongBuffer().put(values);
      return new Tensor(name, DType.I64, shape.clone(), b);
    }

    private static void checkCount(String name, long n, long[] shape) {
      if (elementCount(shape) != n) {
        throw new IllegalArgumentException("tensor " + name + ": " + n + " values do not fill shape "
            + java.util.Arrays.toString(shape));
      }
    }

    public String name() {
      return name;
    }

    public DType dtype() {
      return dtype;
    }

    public long[] shape() {
      return shape.clone();
    }

    /** The shape as ints (every real tensor here is well below 2^31 per dimension). */
    public int[] intShape() {
      int[] s = new int[shape.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = Math.toIntExact(shape[i]);
      }
      return s;
    }

    public long elements() {
      return elementCount(shape);
    }

    /** Values converted to float (from any floating or integer type). */
    public float[] toFloats() {
      int n = Math.toIntExact(elements());
      float[] out = new float[n];
      ByteBuffer b = data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      switch (dtype) {
        case F32:
          b.asFloatBuffer().get(out);
          break;
        case F64:
          for (int i = 0; i < n; i++) {
            out[i] = (float) b.getDouble(i * 8);
          }
          break;
        case F16:
          for (int i = 0; i < n; i++) {
            out[i] = halfToFloat(b.getShort(i * 2));
          }
          break;
        case BF16:
          for (int i = 0; i < n; i++) {
            out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
          }
          break;
        default:
          long[] l = toLongs();
          for (int i = 0; i < n; i++) {
            out[i] = l[i];
          }
      }
      return out;
    }

    /** Values of an integer or boolean tensor. */
    public long[] toLongs() {
      int n = Math.toIntExact(elements());
      long[] out = new long[n];
      ByteBuffer b = data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      switch (dtype) {
        case I64:
          b.asLongBuffer().get(out);
          break;
        case I32:
          for (int i = 0; i < n; i++) {
            out[i] = b.getInt(i * 4);
          }
          break;
        case I16:
          for (int i = 0; i < n; i++) {
            out[i] = b.getShort(i * 2);
          }
          break;
        case I8:
          for (int i = 0; i < n; i++) {
            out[i] = b.get(i);
          }
          break;
        case U8:
        case BOOL:
          for (int i = 0; i < n; i++) {
            out[i] = b.get(i) & 0xFF;
          }
          break;
        default:
          throw new IllegalStateException("tensor " + name + " is " + dtype + ", not an integer type");
      }
      return out;
    }

    /** Values of an integer tensor as ints. */
    public int[] toInts() {
      long[] l = toLongs();
      int[] out = new int[l.length];
      for (int i = 0; i < l.length; i++) {
        out[i] = Math.toIntExact(l[i]);
      }
      return out;
    }

    int byteSize() {
      return floats != null && data == null ? floatCount * 4 : data.remaining();
    }
  }

  /** A file's tensors in header order, plus its metadata. */
  public static final class Contents {
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
      this.tensors = Collections.unmodifiableMap(tensors);
      this.metadata = Collections.unmodifiableMap(metadata);
    }

    public Map<String, Tensor> tensors() {
      return tensors;
    }

    public Map<String, String> metadata() {
      return metadata;
    }

    /** The tensor of that name, or null. */
    public Tensor get(String name) {
      return tensors.get(name);
    }
  }

  static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + java.util.Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Reads a file. */
  public static Contents read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "file not found");
    }
    try {
      return read(bytes);
    } catch (FormatException e) {
      throw new FormatException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses safetensors bytes. */
  public static Contents read(byte[] bytes) throws FormatException {
    if (bytes.length < 8) {
      throw new FormatException("not a safetensors file: " + bytes.length
          + " bytes, shorter than the 8-byte header length");
    }
    ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long n = all.getLong(0);
    if (n < 2 || n > MAX_HEADER || n > bytes.length - 8L) {
      throw new FormatException("not a safetensors file or truncated: header length " + n
          + " does not fit in " + bytes.length + " bytes");
    }
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    Map<String, Object> json;
    try {
      json = Json.parseObject(header);
    } catch (FormatException e) {
      throw new FormatException("corrupt safetensors header: " + e.getMessage());
    }
    int dataStart = 8 + (int) n;
    long dataLen = bytes.length - (long) dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    List<long[]> spans = new ArrayList<>();
    for (Map.Entry<String, Object> e : json.entrySet()) {
      String name = e.getKey();
      if (name.equals("__metadata__")) {
        if (!(e.getValue() instanceof Map)) {
          throw new FormatException("__metadata__ must be an object of strings");
        }
        for (Map.Entry<?, ?> m : ((Map<?, ?>) e.getValue()).entrySet()) {
          if (!(m.getValue() instanceof String)) {
            throw new FormatException("__metadata__ value of '" + m.getKey() + "' is not a string");
          }
          metadata.put((String) m.getKey(), (String) m.getValue());
        }
        continue;
      }
      if (!(e.getValue() instanceof Map)) {
        throw new FormatException("entry '" + name + "' is not an object");
      }
      Map<?, ?> info = (Map<?, ?>) e.getValue();
      DType dtype;
      try {
        dtype = DType.valueOf(String.valueOf(info.get("dtype")).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException ex) {
        throw new FormatException("tensor '" + name + "' has unsupported dtype " + info.get("dtype"));
      }
      long[] shape = longList(name, "shape", info.get("shape"), -1);
      long[] offsets = longList(name, "data_offsets", info.get("data_offsets"), 2);
      long count;
      try {
        count = elementCount(shape);
      } catch (IllegalArgumentException | ArithmeticException ex) {
        throw new FormatException("tensor '" + name + "' has an invalid shape");
      }
      if (offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLen) {
        throw new FormatException("tensor '" + name + "' data_offsets [" + offsets[0] + ", " + offsets[1]
            + "] fall outside the " + dataLen + "-byte data area (file truncated?)");
      }
      if (offsets[1] - offsets[0] != count * dtype.bytes()) {
        throw new FormatException("tensor '" + name + "' spans " + (offsets[1] - offsets[0])
            + " bytes but shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs "
            + count * dtype.bytes());
      }
      spans.add(new long[] {offsets[0], offsets[1]});
      ByteBuffer slice = ByteBuffer.wrap(bytes, dataStart + (int) offsets[0],
          (int) (offsets[1] - offsets[0]));
      tensors.put(name, new Tensor(name, dtype, shape, slice));
    }
    spans.sort((a, b) -> Long.compare(a[0], b[0]));
    long expect = 0;
    for (long[] s : spans) {
      if (s[0] != expect) {
        throw new FormatException("tensor data is not contiguous at byte " + expect);
      }
      expect = s[1];
    }
    if (expect != dataLen) {
      throw new FormatException("data area has " + dataLen + " bytes but the tensors cover " + expect);
    }
    return new Contents(tensors, metadata);
  }

  private static long[] longList(String name, String field, Object v, int size) throws FormatException {
    if (!(v instanceof List)) {
      throw new FormatException("tensor '" + name + "' has no " + field + " list");
    }
    List<?> l = (List<?>) v;
    if (size >= 0 && l.size() != size) {
      throw new FormatException("tensor '" + name + "' " + field + " must have " + size + " entries");
    }
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) {
      Object o = l.get(i);
      if (!(o instanceof Long) || (Long) o < 0) {
        throw new FormatException("tensor '" + name + "' " + field + " holds " + o
            + ", not a non-negative integer");
      }
      out[i] = (Long) o;
    }
    return out;
  }

  /** Serialises tensors (in the given order) with optional metadata. */
  public static byte[] toBytes(Collection<Tensor> tensors, Map<String, String> metadata) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      writeTo(out, tensors, metadata);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a byte array does not fail
    }
    return out.toByteArray();
  }

  /** Writes atomically (see {@link AtomicFiles}), streaming the tensors' bytes. */
  public static void write(Path file, Collection<Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    AtomicFiles.write(file, out -> writeTo(out, tensors, metadata));
  }

  private static void writeTo(OutputStream out, Collection<Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    if (metadata != null && !metadata.isEmpty()) {
      header.put("__metadata__", new LinkedHashMap<>(metadata));
    }
    long offset = 0;
    for (Tensor t : tensors) {
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dtype", t.dtype.name());
      info.put("shape", t.shape.clone());
      info.put("data_offsets", new long[] {offset, offset + t.byteSize()});
      if (header.put(t.name, info) != null) {
        throw new IllegalArgumentException("duplicate tensor name " + t.name);
      }
      offset += t.byteSize();
    }
    byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8; // the reference writer aligns data to 8 bytes
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
    out.write(length.array());
    out.write(json);
    for (int i = json.length; i < padded; i++) {
      out.write(' ');
    }
    byte[] chunk = new byte[1 << 16];
    for (Tensor t : tensors) {
      t.writeData(out, chunk);
    }
  }

  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits >>> 15) << 31;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      float v = mant / 1024f * (float) Math.pow(2, -14);
      return sign != 0 ? -v : v;
    }
    if (exp == 31) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }
}
