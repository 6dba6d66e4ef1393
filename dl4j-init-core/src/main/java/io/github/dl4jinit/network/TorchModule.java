package io.github.dl4jinit.network;

/**
 * The PyTorch module class a DL4J layer stands for, so that a rule can say what an init loop says:
 * {@code isinstance(m, nn.Conv2d)} is {@code LayerSelector.isInstance(TorchModule.CONV2D)}.
 *
 * <p>{@link LayerTable} decides which DL4J layers are which: {@code ConvolutionLayer},
 * {@code DepthwiseConvolution2D} (PyTorch's {@code Conv2d(groups=in)}) and both halves of
 * {@code SeparableConvolution2D} are {@link #CONV2D}; {@code Convolution1DLayer},
 * {@code Convolution3D} and {@code Deconvolution2D} are not, although DL4J derives them from
 * {@code ConvolutionLayer}.
 */
public enum TorchModule {
    /** {@code nn.Linear}: DenseLayer and every BaseOutputLayer (OutputLayer, RnnOutputLayer...). */
    LINEAR("nn.Linear"),
    /** {@code nn.Conv1d}: Convolution1DLayer. */
    CONV1D("nn.Conv1d"),
    /** {@code nn.Conv2d}, grouped ones too: ConvolutionLayer, DepthwiseConvolution2D, SeparableConvolution2D. */
    CONV2D("nn.Conv2d"),
    /** {@code nn.Conv3d}: Convolution3D. */
    CONV3D("nn.Conv3d"),
    /** {@code nn.ConvTranspose2d}: Deconvolution2D. */
    CONV_TRANSPOSE2D("nn.ConvTranspose2d"),
    /** {@code nn.ConvTranspose3d}: Deconvolution3D. */
    CONV_TRANSPOSE3D("nn.ConvTranspose3d"),
    /**
     * {@code nn.BatchNorm1d}, {@code 2d} and {@code 3d} alike: DL4J's one BatchNormalization layer
     * stands for all three (its parameters do not say which input it will see).
     */
    BATCH_NORM("nn.BatchNorm1d/2d/3d"),
    /** {@code nn.LSTM}: LSTM, GravesLSTM (whose peepholes PyTorch lacks). */
    LSTM("nn.LSTM"),
    /** {@code nn.RNN}: SimpleRnn. */
    RNN("nn.RNN"),
    /** {@code nn.Embedding}: EmbeddingLayer, EmbeddingSequenceLayer. */
    EMBEDDING("nn.Embedding"),
    /** {@code nn.PReLU}: PReLULayer. */
    PRELU("nn.PReLU"),
    /** {@code nn.MultiheadAttention(bias=False)}, its {@code out_proj} included: SelfAttentionLayer. */
    MULTIHEAD_ATTENTION("nn.MultiheadAttention");

    private final String torchClass;

    TorchModule(String torchClass) {
        this.torchClass = torchClass;
    }

    /** PyTorch's class name, e.g. {@code nn.Conv2d}. */
    public String torchClass() {
        return torchClass;
    }
}
