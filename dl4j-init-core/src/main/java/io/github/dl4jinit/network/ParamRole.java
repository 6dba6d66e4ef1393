package io.github.dl4jinit.network;

/**
 * What a parameter does in its layer, so that a rule can select, for instance, every bias of a
 * network regardless of what DL4J calls it ({@code b}, {@code beta}, {@code fb}...).
 */
public enum ParamRole {
    /** The input weight: Dense/Output {@code W}, convolution {@code W}, LSTM input-to-hidden {@code W}. */
    WEIGHT,
    /** An additive bias ({@code b}). For LSTM/SimpleRnn it stands for PyTorch's b_ih + b_hh. */
    BIAS,
    /** The hidden-to-hidden weight of a recurrent layer ({@code RW}; PyTorch's weight_hh). */
    RECURRENT_WEIGHT,
    /** GravesLSTM's peephole weights (the last 3 columns of {@code RW}); PyTorch has none. */
    PEEPHOLE,
    /** The depthwise kernel of DepthwiseConvolution2D / SeparableConvolution2D. */
    DEPTHWISE_WEIGHT,
    /** The 1x1 pointwise kernel of SeparableConvolution2D ({@code pW}). */
    POINTWISE_WEIGHT,
    /** BatchNormalization's scale (PyTorch: weight). */
    GAMMA,
    /** BatchNormalization's shift (PyTorch: bias). */
    BETA,
    /** BatchNormalization's running mean (a buffer in PyTorch). */
    RUNNING_MEAN,
    /** BatchNormalization's running variance, whether DL4J stores it as var or log10(std). */
    RUNNING_VAR,
    /** PReLU's learned negative slope (PyTorch: weight, default 0.25). */
    PRELU_ALPHA,
    /** Layer-norm gain of Dense/SimpleRnn ({@code g}). */
    LAYER_NORM_GAIN,
    /** SelfAttentionLayer's output projection {@code Wo} (PyTorch: MultiheadAttention.out_proj.weight). */
    OUTPUT_PROJECTION,
    /** A parameter no other role describes (for instance CenterLossOutputLayer's centers). */
    OTHER
}
