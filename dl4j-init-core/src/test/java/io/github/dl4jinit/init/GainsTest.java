package io.github.dl4jinit.init;

import io.github.dl4jinit.TorchInit;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Gains equal {@code torch.nn.init.calculate_gain}: against the values written in PyTorch's source
 * and against fixtures/gains.json, written by real PyTorch (dl4j-init-tests/python/make_gain_fixtures.py).
 */
class GainsTest {

    @Test
    void gainsAsWrittenInPyTorch() {
        for (String linear : new String[]{"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                "conv_transpose2d", "conv_transpose3d", "sigmoid"}) {
            assertThat(TorchInit.calculateGain(linear)).as(linear).isEqualTo(1.0);
        }
        assertThat(TorchInit.calculateGain("tanh")).isEqualTo(5.0 / 3);
        assertThat(TorchInit.calculateGain("relu")).isEqualTo(Math.sqrt(2.0));
        assertThat(TorchInit.calculateGain("leaky_relu")).isEqualTo(Math.sqrt(2.0 / (1 + 0.01 * 0.01)));
        assertThat(TorchInit.calculateGain("leaky_relu", 0.2)).isEqualTo(Math.sqrt(2.0 / (1 + 0.2 * 0.2)));
        assertThat(TorchInit.calculateGain("selu")).isEqualTo(0.75);
        assertThat(TorchInit.calculateGain(Nonlinearity.TANH)).isEqualTo(5.0 / 3);
        // param is ignored by every nonlinearity but leaky_relu, as in PyTorch.
        assertThat(TorchInit.calculateGain("relu", 0.2)).isEqualTo(Math.sqrt(2.0));
        assertThat(Nonlinearity.values()).hasSize(12);
    }

    @Test
    void gainsMatchRealPyTorch() throws Exception {
        JsonNode doc;
        try (InputStream in = GainsTest.class.getResourceAsStream("/fixtures/gains.json")) {
            assertThat(in).as("fixtures/gains.json on the test classpath").isNotNull();
            doc = new ObjectMapper().readTree(in);
        }
        assertThat(doc.get("torch_version").asText()).startsWith("2.");
        JsonNode gains = doc.get("gains");
        assertThat(gains.size()).isEqualTo(Nonlinearity.values().length);
        for (Iterator<Map.Entry<String, JsonNode>> it = gains.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            // PyTorch computes these in double exactly as we do: expect the same double, 1 ulp at most.
            assertThat(TorchInit.calculateGain(e.getKey())).as(e.getKey())
                    .isCloseTo(e.getValue().asDouble(), within(Math.ulp(e.getValue().asDouble())));
        }
        for (JsonNode leaky : doc.get("leaky_relu")) {
            double param = leaky.get("param").asDouble();
            double expected = leaky.get("gain").asDouble();
            assertThat(TorchInit.calculateGain("leaky_relu", param)).as("leaky_relu %s", param)
                    .isCloseTo(expected, within(Math.ulp(expected)));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("unsupported").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            // Our message quotes PyTorch's.
            assertThatThrownBy(() -> TorchInit.calculateGain(e.getKey()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(e.getValue().asText());
        }
    }

    @Test
    void kaimingUsesTheGainOfItsNonlinearityAndSlope() {
        Fans fans = Fans.of(100, 50);
        assertThat(new VarianceScaling(TorchInit.calculateGain("leaky_relu", 0.2), FanMode.FAN_IN, Distribution.NORMAL).std(fans))
                .isEqualTo(Math.sqrt(2.0 / (1 + 0.04)) / 10);
    }
}
