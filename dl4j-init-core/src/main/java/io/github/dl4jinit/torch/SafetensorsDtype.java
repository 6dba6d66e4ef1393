package io.github.dl4jinit.torch;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The element types of the safetensors format (the {@code dtype} field of its header), their sizes
 * and the ND4J type each reads into. The 8-bit float types are recognized (a file holding them is
 * well formed) but ND4J has no such type, so they cannot be read into arrays.
 */
enum SafetensorsDtype {
    BOOL(1, DataType.BOOL, false, "torch.bool"),
    U8(1, DataType.UBYTE, false, "torch.uint8"),
    I8(1, DataType.BYTE, false, "torch.int8"),
    I16(2, DataType.SHORT, false, "torch.int16"),
    U16(2, DataType.UINT16, false, "torch.uint16"),
    F16(2, DataType.HALF, true, "torch.float16"),
    BF16(2, DataType.BFLOAT16, true, "torch.bfloat16"),
    I32(4, DataType.INT, false, "torch.int32"),
    U32(4, DataType.UINT32, false, "torch.uint32"),
    F32(4, DataType.FLOAT, true, "torch.float32"),
    F64(8, DataType.DOUBLE, true, "torch.float64"),
    I64(8, DataType.LONG, false, "torch.int64"),
    U64(8, DataType.UINT64, false, "torch.uint64"),
    F8_E4M3(1, null, true, "torch.float8_e4m3fn"),
    F8_E5M2(1, null, true, "torch.float8_e5m2");

    final int size;
    final DataType nd4j;
    final boolean floating;
    final String torchName;

    SafetensorsDtype(int size, DataType nd4j, boolean floating, String torchName) {
        this.size = size;
        this.nd4j = nd4j;
        this.floating = floating;
        this.torchName = torchName;
    }

    /** The type named in a header, or null for a name the format does not have. */
    static SafetensorsDtype byName(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** The type an ND4J array is written as, or null for ND4J types the format has no name for. */
    static SafetensorsDtype of(DataType type) {
        for (SafetensorsDtype d : values()) {
            if (d.nd4j == type) {
                return d;
            }
        }
        return null;
    }
}
