package io.github.dl4jinit.examples;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JavaConvHelper} computes what DL4J's own convolution path computes: the same network with
 * and without the helper gives the same output, loss and gradients on one batch, within float
 * rounding (the sums run in another order).
 */
class JavaConvHelperTest {

    private static MultiLayerNetwork cnn(boolean helper) {
        String old = System.getProperty("dl4jinit.nativeConv");
        System.setProperty("dl4jinit.nativeConv", Boolean.toString(helper));
        try {
            return Models.cnn(Scheme.KAIMING, 0.001, 7, null);
        } finally {
            if (old == null) {
                System.clearProperty("dl4jinit.nativeConv");
            } else {
                System.setProperty("dl4jinit.nativeConv", old);
            }
        }
    }

    @Test
    void outputsLossAndGradientsMatchDl4jsOwnConvolution() {
        MultiLayerNetwork reference = cnn(false);
        MultiLayerNetwork helped = cnn(true);
        helped.setParams(reference.params().dup());
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 784);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 10);
        for (int i = 0; i < 16; i++) {
            y.putScalar(i, (i * 7) % 10, 1.0);
        }
        assertThat(helped.output(x, false).sub(reference.output(x, false)).amaxNumber().doubleValue())
                .isLessThan(1e-5);

        reference.setInput(x);
        reference.setLabels(y);
        reference.computeGradientAndScore();
        helped.setInput(x);
        helped.setLabels(y);
        helped.computeGradientAndScore();
        assertThat(helped.score()).isCloseTo(reference.score(), org.assertj.core.data.Offset.offset(1e-5));
        Gradient g = reference.gradient();
        Map<String, INDArray> expected = g.gradientForVariable();
        Map<String, INDArray> actual = helped.gradient().gradientForVariable();
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (String k : expected.keySet()) {
            // Relative to the layer's weight gradient: a conv bias feeding BatchNorm has a gradient
            // that is zero up to rounding, so its own size is no scale to compare with.
            String weight = k.substring(0, k.indexOf('_') + 1) + "W";
            double scale = Math.max(expected.get(k).amaxNumber().doubleValue(),
                    expected.getOrDefault(weight, expected.get(k)).amaxNumber().doubleValue());
            double diff = actual.get(k).sub(expected.get(k)).amaxNumber().doubleValue();
            assertThat(diff / scale).as(k + " (max |grad| " + scale + ")").isLessThan(1e-4);
        }
        assertThat(expected).containsKey("0_W");
    }
}
