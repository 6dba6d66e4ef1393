package io.github.dl4jinit.torch;

import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.internal.DenseViews;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One tensor of a state_dict: its safetensors type, PyTorch's shape and its values in C order,
 * either in a mapped region of a file ({@link #mapped}) or in an ND4J array ({@link #of}).
 */
abstract class TorchTensor {
    final SafetensorsDtype dtype;
    private final long[] shape;
    final long length;

    private TorchTensor(SafetensorsDtype dtype, long[] shape) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        this.length = n;
    }

    long[] shape() {
        return shape.clone();
    }

    /** The number of bytes of the values in the file. */
    long byteLength() {
        return length * dtype.size;
    }

    /**
     * Why this tensor cannot be read into an ND4J array, or null if it can: ND4J has no 8-bit float
     * type, and one mapped buffer holds at most 2 GiB.
     */
    abstract String unreadable();

    /** The values as an ND4J array of the tensor's own type, PyTorch's shape, C order (a copy). */
    abstract INDArray toArray();

    /**
     * Fills {@code target} (C order, this tensor's length, a floating type) with the values
     * converted to its type: float16 and bfloat16 widen exactly, float64 rounds to nearest as
     * PyTorch's {@code .float()} does.
     */
    abstract void fill(INDArray target);

    /** The values as little-endian bytes, positioned at 0, for writing. */
    abstract ByteBuffer bytes();

    /** A tensor whose values are {@code data} (little-endian bytes of a file region, or null if not mapped). */
    static TorchTensor mapped(SafetensorsDtype dtype, long[] shape, ByteBuffer data, String unmappedReason) {
        return new Mapped(dtype, shape, data, unmappedReason);
    }

    /**
     * A tensor holding {@code array} (copied into C order, so later changes to the array do not show).
     *
     * @throws IllegalArgumentException for a type the format cannot store (UTF8, compressed...)
     */
    static TorchTensor of(String name, INDArray array) {
        Args.notNull(name, array);
        SafetensorsDtype d = SafetensorsDtype.of(array.dataType());
        if (d == null) {
            throw Args.invalid(name + ".dataType", array.dataType(),
                    "a numeric or boolean type that safetensors stores (FLOAT, DOUBLE, HALF, BFLOAT16, LONG, INT, ...)");
        }
        return new Held(d, array.shape(), array.dup('c'));
    }

    private static final class Mapped extends TorchTensor {
        private final ByteBuffer data;
        private final String unmappedReason;

        Mapped(SafetensorsDtype dtype, long[] shape, ByteBuffer data, String unmappedReason) {
            super(dtype, shape);
            this.data = data;
            this.unmappedReason = unmappedReason;
        }

        private ByteBuffer le() {
            return data == null ? ByteBuffer.allocate(0) : data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        String unreadable() {
            if (unmappedReason != null) {
                return unmappedReason;
            }
            if (dtype.nd4j == null) {
                return "dtype " + dtype.name() + " (" + dtype.torchName + ") has no ND4J type";
            }
            return null;
        }

        @Override
        INDArray toArray() {
            String why = unreadable();
            if (why != null) {
                throw new IllegalArgumentException(why);
            }
            long[] shape = shape();
            if (length == 0) {
                return Nd4j.create(dtype.nd4j, shape, 'c');
            }
            ByteBuffer b = le();
            int n = (int) length;
            INDArray flat;
            switch (dtype) {
                case F32: {
                    float[] v = new float[n];
                    b.asFloatBuffer().get(v);
                    flat = Nd4j.createFromArray(v);
                    break;
                }
                case F64: {
                    double[] v = new double[n];
                    b.asDoubleBuffer().get(v);
                    flat = Nd4j.createFromArray(v);
                    break;
                }
                case F16:
                case BF16:
                    flat = Nd4j.createFromArray(floats(b, n)).castTo(dtype.nd4j);
                    break;
                case I64:
                case U64: {
                    long[] v = new long[n];
                    b.asLongBuffer().get(v);
                    flat = Nd4j.createFromArray(v);
                    if (dtype == SafetensorsDtype.U64) {
                        flat = flat.castTo(DataType.UINT64);
                    }
                    break;
                }
                case I32: {
                    int[] v = new int[n];
                    b.asIntBuffer().get(v);
                    flat = Nd4j.createFromArray(v);
                    break;
                }
                case U32: {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = b.getInt(4 * i) & 0xffffffffL;
                    }
                    flat = Nd4j.createFromArray(v).castTo(DataType.UINT32);
                    break;
                }
                case I16: {
                    short[] v = new short[n];
                    b.asShortBuffer().get(v);
                    flat = Nd4j.createFromArray(v);
                    break;
                }
                case U16: {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = b.getShort(2 * i) & 0xffff;
                    }
                    flat = Nd4j.createFromArray(v).castTo(DataType.UINT16);
                    break;
                }
                case I8: {
                    byte[] v = new byte[n];
                    b.get(v);
                    flat = Nd4j.createFromArray(v);
                    break;
                }
                case U8: {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = b.get(i) & 0xff;
                    }
                    flat = Nd4j.createFromArray(v).castTo(DataType.UBYTE);
                    break;
                }
                case BOOL: {
                    boolean[] v = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = b.get(i) != 0;
                    }
                    flat = Nd4j.createFromArray(v);
                    break;
                }
                default:
                    throw new IllegalStateException("unhandled dtype " + dtype);
            }
            return shape.length == 0 ? flat.reshape() : flat.reshape('c', shape);
        }

        @Override
        void fill(INDArray target) {
            if (length == 0) {
                return;
            }
            ByteBuffer b = le();
            if (dtype == SafetensorsDtype.F32) {
                FloatBuffer direct = DenseViews.writableFloats(target);
                if (direct != null) {
                    direct.put(b.asFloatBuffer());  // one copy, file to network
                    return;
                }
            }
            writeConverted(target, b);
        }

        private void writeConverted(INDArray target, ByteBuffer b) {
            int n = (int) length;
            if (target.dataType() == DataType.DOUBLE) {
                double[] v = new double[n];
                if (dtype == SafetensorsDtype.F64) {
                    b.asDoubleBuffer().get(v);
                } else {
                    float[] f = floats(b, n);
                    for (int i = 0; i < n; i++) {
                        v[i] = f[i];
                    }
                }
                DenseViews.write(target, v);
                return;
            }
            float[] v;
            if (dtype == SafetensorsDtype.F64) {
                v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) b.getDouble(8 * i);
                }
            } else {
                v = floats(b, n);
            }
            if (target.dataType() == DataType.FLOAT) {
                DenseViews.write(target, v);
            } else {
                target.assign(Nd4j.createFromArray(v).castTo(target.dataType()).reshape('c', target.shape()));
            }
        }

        /** F32, F16 or BF16 values widened to float (exactly). */
        private float[] floats(ByteBuffer b, int n) {
            float[] v = new float[n];
            switch (dtype) {
                case F32:
                    b.asFloatBuffer().get(v);
                    break;
                case F16:
                    for (int i = 0; i < n; i++) {
                        v[i] = Halves.halfToFloat(b.getShort(2 * i));
                    }
                    break;
                case BF16:
                    for (int i = 0; i < n; i++) {
                        v[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                    }
                    break;
                default:
                    throw new IllegalStateException(dtype + " is not a float type");
            }
            return v;
        }

        @Override
        ByteBuffer bytes() {
            return le();
        }
    }

    private static final class Held extends TorchTensor {
        private final INDArray array;

        Held(SafetensorsDtype dtype, long[] shape, INDArray array) {
            super(dtype, shape);
            this.array = array;
        }

        @Override
        String unreadable() {
            return null;
        }

        @Override
        INDArray toArray() {
            return array.dup('c');
        }

        @Override
        void fill(INDArray target) {
            if (length == 0) {
                return;
            }
            INDArray src = array.dataType() == target.dataType() ? array : array.castTo(target.dataType());
            target.assign(src.reshape('c', target.shape()));
        }

        @Override
        ByteBuffer bytes() {
            int n = (int) length;
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(byteLength())).order(ByteOrder.LITTLE_ENDIAN);
            if (n == 0) {
                return out;
            }
            INDArray c = array.reshape('c', new long[]{n});
            switch (dtype) {
                case F32:
                    out.asFloatBuffer().put(DenseViews.readFloats(c));
                    break;
                case F64:
                    out.asDoubleBuffer().put(DenseViews.readDoubles(c));
                    break;
                case F16: {
                    float[] f = DenseViews.readFloats(c.castTo(DataType.FLOAT));
                    for (float x : f) {
                        out.putShort(Halves.floatToHalf(x));
                    }
                    break;
                }
                case BF16: {
                    float[] f = DenseViews.readFloats(c.castTo(DataType.FLOAT));
                    for (float x : f) {
                        out.putShort((short) (Float.floatToRawIntBits(x) >>> 16));  // exact: x is a bfloat16
                    }
                    break;
                }
                case I64:
                case U64:
                    out.asLongBuffer().put(c.castTo(DataType.LONG).toLongVector());
                    break;
                case I32:
                    out.asIntBuffer().put(c.castTo(DataType.INT).toIntVector());
                    break;
                case U32:
                    for (long x : c.castTo(DataType.LONG).toLongVector()) {
                        out.putInt((int) x);
                    }
                    break;
                case I16:
                case U16:
                    for (int x : c.castTo(DataType.INT).toIntVector()) {
                        out.putShort((short) x);
                    }
                    break;
                case I8:
                case U8:
                    for (int x : c.castTo(DataType.INT).toIntVector()) {
                        out.put((byte) x);
                    }
                    break;
                case BOOL:
                    for (int x : c.castTo(DataType.INT).toIntVector()) {
                        out.put((byte) (x != 0 ? 1 : 0));
                    }
                    break;
                default:
                    throw new IllegalStateException("unhandled dtype " + dtype);
            }
            out.position(0);
            return out;
        }
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
