package io.github.dl4jinit;

import io.github.dl4jinit.init.Constant;
import io.github.dl4jinit.init.Dirac;
import io.github.dl4jinit.init.Eye;
import io.github.dl4jinit.init.FanMode;
import io.github.dl4jinit.init.KaimingNormal;
import io.github.dl4jinit.init.KaimingUniform;
import io.github.dl4jinit.init.LeCunNormal;
import io.github.dl4jinit.init.LeCunUniform;
import io.github.dl4jinit.init.Nonlinearity;
import io.github.dl4jinit.init.Normal;
import io.github.dl4jinit.init.Orthogonal;
import io.github.dl4jinit.init.Sparse;
import io.github.dl4jinit.init.TorchDefaultInit;
import io.github.dl4jinit.init.TruncatedNormal;
import io.github.dl4jinit.init.Uniform;
import io.github.dl4jinit.init.XavierNormal;
import io.github.dl4jinit.init.XavierUniform;

/**
 * {@code torch.nn.init} for DL4J: one static factory per PyTorch function, named in camelCase, with
 * PyTorch's argument order and defaults. Each returns an immutable {@code IWeightInit}:
 *
 * <pre>{@code
 * new DenseLayer.Builder().nIn(784).nOut(256)
 *     .weightInit(TorchInit.kaimingNormal(0, "fan_out", "relu"))
 * }</pre>
 *
 * To reproduce PyTorch's bits on a tensor in PyTorch's layout:
 * {@code TorchInit.kaimingNormal(0, "fan_out", "relu").apply(tensor, new TorchGenerator(seed))}.
 */
public final class TorchInit {
    private TorchInit() {
    }

    /** {@code uniform_(t)}: U[0, 1). */
    public static Uniform uniform() {
        return new Uniform();
    }

    /** {@code uniform_(t, a, b)}: U[a, b). */
    public static Uniform uniform(double a, double b) {
        return new Uniform(a, b);
    }

    /** {@code normal_(t)}: N(0, 1). */
    public static Normal normal() {
        return new Normal();
    }

    /** {@code normal_(t, mean, std)}: N(mean, std²). */
    public static Normal normal(double mean, double std) {
        return new Normal(mean, std);
    }

    /** {@code trunc_normal_(t)}: N(0, 1) truncated to [−2, 2]. */
    public static TruncatedNormal truncNormal() {
        return new TruncatedNormal();
    }

    /** {@code trunc_normal_(t, mean, std)}: truncated to [−2, 2] (absolute bounds, as PyTorch). */
    public static TruncatedNormal truncNormal(double mean, double std) {
        return new TruncatedNormal(mean, std, -2.0, 2.0);
    }

    /** {@code trunc_normal_(t, mean, std, a, b)}: N(mean, std²) truncated to [a, b]. */
    public static TruncatedNormal truncNormal(double mean, double std, double a, double b) {
        return new TruncatedNormal(mean, std, a, b);
    }

    /** {@code constant_(t, val)}. */
    public static Constant constant(double val) {
        return new Constant(val);
    }

    /** {@code ones_(t)}. */
    public static Constant ones() {
        return new Constant(1.0);
    }

    /** {@code zeros_(t)}. */
    public static Constant zeros() {
        return new Constant(0.0);
    }

    /** {@code eye_(t)}: the identity on a 2-D (out, in) weight. */
    public static Eye eye() {
        return new Eye();
    }

    /** {@code dirac_(t)}: identity convolution. */
    public static Dirac dirac() {
        return new Dirac();
    }

    /** {@code dirac_(t, groups)}. */
    public static Dirac dirac(int groups) {
        return new Dirac(groups);
    }

    /** {@code xavier_uniform_(t)}: gain 1. */
    public static XavierUniform xavierUniform() {
        return new XavierUniform();
    }

    /** {@code xavier_uniform_(t, gain)}. */
    public static XavierUniform xavierUniform(double gain) {
        return new XavierUniform(gain);
    }

    /** {@code xavier_normal_(t)}: gain 1. */
    public static XavierNormal xavierNormal() {
        return new XavierNormal();
    }

    /** {@code xavier_normal_(t, gain)}. */
    public static XavierNormal xavierNormal(double gain) {
        return new XavierNormal(gain);
    }

    /** {@code kaiming_uniform_(t)}: a = 0, fan_in, leaky_relu. */
    public static KaimingUniform kaimingUniform() {
        return new KaimingUniform();
    }

    /** {@code kaiming_uniform_(t, a)}. */
    public static KaimingUniform kaimingUniform(double a) {
        return new KaimingUniform(a, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
    }

    /** {@code kaiming_uniform_(t, a, mode)}. */
    public static KaimingUniform kaimingUniform(double a, String mode) {
        return new KaimingUniform(a, mode, "leaky_relu");
    }

    /** {@code kaiming_uniform_(t, a, mode, nonlinearity)}, spelled as in PyTorch. */
    public static KaimingUniform kaimingUniform(double a, String mode, String nonlinearity) {
        return new KaimingUniform(a, mode, nonlinearity);
    }

    /** {@code kaiming_uniform_(t, a, mode, nonlinearity)} with enums. */
    public static KaimingUniform kaimingUniform(double a, FanMode mode, Nonlinearity nonlinearity) {
        return new KaimingUniform(a, mode, nonlinearity);
    }

    /** {@code kaiming_normal_(t)}: a = 0, fan_in, leaky_relu. */
    public static KaimingNormal kaimingNormal() {
        return new KaimingNormal();
    }

    /** {@code kaiming_normal_(t, a)}. */
    public static KaimingNormal kaimingNormal(double a) {
        return new KaimingNormal(a, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
    }

    /** {@code kaiming_normal_(t, a, mode)}. */
    public static KaimingNormal kaimingNormal(double a, String mode) {
        return new KaimingNormal(a, mode, "leaky_relu");
    }

    /** {@code kaiming_normal_(t, a, mode, nonlinearity)}, spelled as in PyTorch. */
    public static KaimingNormal kaimingNormal(double a, String mode, String nonlinearity) {
        return new KaimingNormal(a, mode, nonlinearity);
    }

    /** {@code kaiming_normal_(t, a, mode, nonlinearity)} with enums. */
    public static KaimingNormal kaimingNormal(double a, FanMode mode, Nonlinearity nonlinearity) {
        return new KaimingNormal(a, mode, nonlinearity);
    }

    /** {@code orthogonal_(t)}: gain 1. */
    public static Orthogonal orthogonal() {
        return new Orthogonal();
    }

    /** {@code orthogonal_(t, gain)}. */
    public static Orthogonal orthogonal(double gain) {
        return new Orthogonal(gain);
    }

    /** {@code sparse_(t, sparsity)}: std 0.01. */
    public static Sparse sparse(double sparsity) {
        return new Sparse(sparsity);
    }

    /** {@code sparse_(t, sparsity, std)}. */
    public static Sparse sparse(double sparsity, double std) {
        return new Sparse(sparsity, std);
    }

    /** PyTorch's default Linear/Conv weight: {@code kaiming_uniform_(w, a=√5)} = U(±1/√fan_in). */
    public static TorchDefaultInit torchDefault() {
        return new TorchDefaultInit();
    }

    /** LeCun uniform, U(±√(3/fan_in)) (not in PyTorch). */
    public static LeCunUniform lecunUniform() {
        return new LeCunUniform();
    }

    /** LeCun normal, N(0, 1/fan_in) (not in PyTorch). */
    public static LeCunNormal lecunNormal() {
        return new LeCunNormal();
    }

    /** {@code calculate_gain(nonlinearity)}. */
    public static double calculateGain(String nonlinearity) {
        return Nonlinearity.parse(nonlinearity).gain();
    }

    /** {@code calculate_gain(nonlinearity, param)}: param is leaky_relu's negative slope. */
    public static double calculateGain(String nonlinearity, double param) {
        return Nonlinearity.parse(nonlinearity).gain(param);
    }

    /** {@code calculate_gain} with an enum. */
    public static double calculateGain(Nonlinearity nonlinearity) {
        return nonlinearity.gain();
    }
}
