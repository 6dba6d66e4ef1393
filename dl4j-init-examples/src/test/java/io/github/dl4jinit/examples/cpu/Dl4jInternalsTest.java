package io.github.dl4jinit.examples.cpu;

import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DL4J internals that differ from those the Java layers are written for are refused, naming what was expected. */
class Dl4jInternalsTest {

    @Test
    void theSlotsOfThisDl4jAreFound() {
        assertThat(Dl4jInternals.helperSlot(ConvolutionLayer.class, ConvolutionHelper.class).getType())
                .isEqualTo(ConvolutionHelper.class);
        assertThat(Dl4jInternals.helperSlot(BatchNormalization.class, BatchNormalizationHelper.class).getType())
                .isEqualTo(BatchNormalizationHelper.class);
    }

    @Test
    void aLayerWithoutAHelperFieldIsRefused() {
        assertThatThrownBy(() -> Dl4jInternals.helperSlot(DenseLayer.class, ConvolutionHelper.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(DenseLayer.class.getName() + " declares no field 'helper', expected its ConvolutionHelper slot")
                .hasMessageContaining(Dl4jInternals.WRITTEN_FOR);
    }

    @Test
    void aHelperFieldOfAnotherTypeIsRefused() {
        assertThatThrownBy(() -> Dl4jInternals.helperSlot(ConvolutionLayer.class, BatchNormalizationHelper.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ConvolutionLayer.class.getName() + ".helper is a " + ConvolutionHelper.class.getName()
                        + ", expected a " + BatchNormalizationHelper.class.getName());
    }
}
