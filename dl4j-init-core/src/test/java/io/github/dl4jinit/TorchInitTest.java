package io.github.dl4jinit;

import io.github.dl4jinit.init.Constant;
import io.github.dl4jinit.init.Dirac;
import io.github.dl4jinit.init.FanMode;
import io.github.dl4jinit.init.KaimingNormal;
import io.github.dl4jinit.init.KaimingUniform;
import io.github.dl4jinit.init.Nonlinearity;
import io.github.dl4jinit.init.Normal;
import io.github.dl4jinit.init.Orthogonal;
import io.github.dl4jinit.init.Sparse;
import io.github.dl4jinit.init.TruncatedNormal;
import io.github.dl4jinit.init.Uniform;
import io.github.dl4jinit.init.XavierNormal;
import io.github.dl4jinit.init.XavierUniform;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The facade mirrors torch.nn.init: argument order, defaults and spellings. */
class TorchInitTest {

    @Test
    void defaultsAreTorchs() {
        assertThat(TorchInit.uniform()).isEqualTo(new Uniform(0, 1));
        assertThat(TorchInit.normal()).isEqualTo(new Normal(0, 1));
        assertThat(TorchInit.truncNormal()).isEqualTo(new TruncatedNormal(0, 1, -2, 2));
        // trunc_normal_(t, mean, std): bounds stay the absolute -2 and 2, as in PyTorch.
        assertThat(TorchInit.truncNormal(5, 0.1)).isEqualTo(new TruncatedNormal(5, 0.1, -2, 2));
        assertThat(TorchInit.ones()).isEqualTo(new Constant(1));
        assertThat(TorchInit.zeros()).isEqualTo(new Constant(0));
        assertThat(TorchInit.dirac()).isEqualTo(new Dirac(1));
        assertThat(TorchInit.xavierUniform()).isEqualTo(new XavierUniform(1));
        assertThat(TorchInit.xavierNormal()).isEqualTo(new XavierNormal(1));
        assertThat(TorchInit.kaimingUniform()).isEqualTo(new KaimingUniform(0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU));
        assertThat(TorchInit.kaimingNormal()).isEqualTo(new KaimingNormal(0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU));
        assertThat(TorchInit.orthogonal()).isEqualTo(new Orthogonal(1));
        assertThat(TorchInit.sparse(0.1)).isEqualTo(new Sparse(0.1, 0.01));
    }

    @Test
    void argumentOrderIsTorchs() {
        Uniform u = TorchInit.uniform(-1, 3);
        assertThat(u.a()).isEqualTo(-1);
        assertThat(u.b()).isEqualTo(3);
        Normal n = TorchInit.normal(2, 0.5);
        assertThat(n.mean()).isEqualTo(2);
        assertThat(n.std()).isEqualTo(0.5);
        TruncatedNormal t = TorchInit.truncNormal(0.1, 0.2, -0.3, 0.4);
        assertThat(new double[]{t.mean(), t.std(), t.a(), t.b()}).containsExactly(0.1, 0.2, -0.3, 0.4);
        assertThat(TorchInit.constant(0.3).value()).isEqualTo(0.3);
        assertThat(TorchInit.dirac(4).groups()).isEqualTo(4);
        assertThat(TorchInit.xavierUniform(2).gain()).isEqualTo(2);
        assertThat(TorchInit.xavierNormal(3).gain()).isEqualTo(3);
        KaimingUniform ku = TorchInit.kaimingUniform(0.2, "fan_out", "leaky_relu");
        assertThat(ku.a()).isEqualTo(0.2);
        assertThat(ku.mode()).isEqualTo(FanMode.FAN_OUT);
        assertThat(ku.nonlinearity()).isEqualTo(Nonlinearity.LEAKY_RELU);
        // kaiming_*_(t, a): mode and nonlinearity keep their defaults.
        assertThat(TorchInit.kaimingUniform(0.3)).isEqualTo(new KaimingUniform(0.3, "fan_in", "leaky_relu"));
        assertThat(TorchInit.kaimingNormal(0.3, "fan_out")).isEqualTo(new KaimingNormal(0.3, "fan_out", "leaky_relu"));
        Sparse s = TorchInit.sparse(0.25, 0.5);
        assertThat(s.sparsity()).isEqualTo(0.25);
        assertThat(s.std()).isEqualTo(0.5);
        assertThat(TorchInit.orthogonal(1.5).gain()).isEqualTo(1.5);
    }

    @Test
    void stringAndEnumSpellingsAgree() {
        assertThat(TorchInit.kaimingNormal(0, "fan_out", "relu"))
                .isEqualTo(TorchInit.kaimingNormal(0, FanMode.FAN_OUT, Nonlinearity.RELU));
        assertThat(TorchInit.kaimingUniform(0, "fan_in", "tanh"))
                .isEqualTo(TorchInit.kaimingUniform(0, FanMode.FAN_IN, Nonlinearity.TANH));
        for (Nonlinearity n : Nonlinearity.values()) {
            assertThat(Nonlinearity.parse(n.torchName())).isEqualTo(n);
            assertThat(TorchInit.calculateGain(n.torchName())).isEqualTo(TorchInit.calculateGain(n));
        }
    }

    @Test
    void modeIsLowerCasedLikePyTorch() {
        KaimingNormal expected = TorchInit.kaimingNormal(0, FanMode.FAN_OUT, Nonlinearity.RELU);
        assertThat(TorchInit.kaimingNormal(0, "FAN_OUT", "relu")).isEqualTo(expected);
        assertThat(TorchInit.kaimingNormal(0, "Fan_Out", "relu")).isEqualTo(expected);
        assertThat(TorchInit.kaimingUniform(0, "FAN_IN")).isEqualTo(TorchInit.kaimingUniform());
    }

    @Test
    void nonlinearityIsCaseSensitiveLikePyTorch() {
        assertThatThrownBy(() -> TorchInit.kaimingNormal(0, "fan_in", "Relu"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"Relu\"");
        assertThatThrownBy(() -> TorchInit.kaimingUniform(0, "fan_in", "LEAKY_RELU"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"LEAKY_RELU\"");
    }

    @Test
    void valueObjectsHaveReadableToString() {
        assertThat(TorchInit.kaimingNormal(0, "fan_out", "relu").toString())
                .isEqualTo("KaimingNormal(a=0.0, mode=FAN_OUT, nonlinearity=RELU)");
        assertThat(TorchInit.torchDefault().toString()).isEqualTo("TorchDefaultInit()");
        assertThat(TorchInit.uniform(-1, 1)).isNotEqualTo(TorchInit.uniform(-1, 2));
        assertThat(TorchInit.uniform(-1, 1)).isEqualTo(TorchInit.uniform(-1, 1)).hasSameHashCodeAs(TorchInit.uniform(-1, 1));
    }
}
