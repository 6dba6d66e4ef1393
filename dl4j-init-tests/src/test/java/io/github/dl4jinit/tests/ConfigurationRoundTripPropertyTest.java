package io.github.dl4jinit.tests;

import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.tests.GeneratedNets.Kind;
import io.github.dl4jinit.tests.GeneratedNets.LayerSpec;
import io.github.dl4jinit.tests.GeneratedNets.NetSpec;
import io.github.dl4jinit.tests.GeneratedNets.Param;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.dl4jinit.tests.NetworkInitializerPropertyTest.bits;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated configurations whose layers carry the library's schemes ({@code .weightInit(scheme)}, the
 * configuration path) survive DL4J's JSON and YAML round trips and ModelSerializer: the restored
 * configuration equals the original, every layer's scheme equals the one it was given, and a network
 * built from either starts from the same parameters, bit for bit. The seed is fixed so that every
 * run checks the same 250 cases.
 */
class ConfigurationRoundTripPropertyTest {

    /** A generated network and the scheme each layer with weights is configured with. */
    record Configured(NetSpec net, Map<String, TorchWeightInit> schemes) {
        IWeightInit schemeOf(LayerSpec l) {
            return schemes.get(l.name());
        }

        @Override
        public String toString() {
            return net + "\n  schemes " + schemes;
        }
    }

    /** The weights DL4J hands a layer's weightInit (BatchNormalization has none). */
    private static List<Param> weights(LayerSpec l) {
        List<Param> out = new ArrayList<>();
        for (Param p : l.params()) {
            if (p.key().equals("W") || p.key().equals("RW")) {
                out.add(p);
            }
        }
        return out;
    }

    @Provide
    Arbitrary<Configured> configured() {
        return GeneratedNets.nets(4).flatMap(net -> {
            List<Arbitrary<TorchWeightInit>> perLayer = new ArrayList<>();
            for (LayerSpec l : net.layers()) {
                List<Param> w = weights(l);
                perLayer.add(l.kind() == Kind.BATCH_NORM ? Arbitraries.just(null)
                        : GeneratedNets.schemes().filter(s -> w.stream().allMatch(p -> GeneratedNets.fits(s, p))));
            }
            return Combinators.combine(perLayer).as(list -> {
                Map<String, TorchWeightInit> m = new LinkedHashMap<>();
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) != null) {
                        m.put(net.layers().get(i).name(), list.get(i));
                    }
                }
                return new Configured(net, m);
            });
        });
    }

    /** The configuration inside a frozen wrapper, or the layer's own. */
    private static Layer inner(Layer l) {
        if (l instanceof FrozenLayer) {
            return ((FrozenLayer) l).getLayer();
        }
        if (l instanceof FrozenLayerWithBackprop) {
            return ((FrozenLayerWithBackprop) l).getUnderlying();
        }
        return l;
    }

    private static void sameSchemes(Configured c, Map<String, Layer> layers) {
        for (Map.Entry<String, TorchWeightInit> e : c.schemes().entrySet()) {
            IWeightInit restored = ((BaseLayer) inner(layers.get(e.getKey()))).getWeightInitFn();
            assertThat(restored).as("scheme of %s", e.getKey()).isEqualTo(e.getValue())
                    .hasSameClassAs(e.getValue()).isNotSameAs(e.getValue());
        }
    }

    private static Map<String, Layer> layersOf(MultiLayerConfiguration conf) {
        Map<String, Layer> m = new LinkedHashMap<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer l = conf.getConf(i).getLayer();
            m.put(inner(l).getLayerName(), l);
        }
        return m;
    }

    private static Map<String, Layer> layersOf(ComputationGraphConfiguration conf) {
        Map<String, Layer> m = new LinkedHashMap<>();
        conf.getVertices().forEach((name, v) -> {
            if (v instanceof LayerVertex) {
                m.put(name, ((LayerVertex) v).getLayerConf().getLayer());
            }
        });
        return m;
    }

    @Property(tries = 250, seed = "20240616")
    void jsonYamlAndModelSerializerKeepSchemesAndInitialParameters(@ForAll("configured") Configured c) throws IOException {
        Statistics.label("network").collect(c.net().graph() ? "graph" : "multi-layer");
        if (c.net().graph()) {
            ComputationGraphConfiguration conf = c.net().graphConf(c::schemeOf);
            ComputationGraph original = new ComputationGraph(conf.clone());
            original.init();
            long[] initial = bits(original.params());
            for (ComputationGraphConfiguration restored : List.of(ComputationGraphConfiguration.fromJson(conf.toJson()),
                    ComputationGraphConfiguration.fromYaml(conf.toYaml()))) {
                assertThat(restored).as("restored configuration of %s", c).isEqualTo(conf);
                sameSchemes(c, layersOf(restored));
                ComputationGraph net = new ComputationGraph(restored);
                net.init();
                assertThat(bits(net.params())).as("initial parameters of %s", c).isEqualTo(initial);
            }
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            ModelSerializer.writeModel(original, zip, true);
            ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip.toByteArray()), true);
            // The saved configuration is the initialized network's (DL4J records its variables in it).
            assertThat(restored.getConfiguration()).isEqualTo(original.getConfiguration());
            sameSchemes(c, layersOf(restored.getConfiguration()));
            assertThat(bits(restored.params())).isEqualTo(initial);
            ComputationGraph fresh = new ComputationGraph(restored.getConfiguration().clone());
            fresh.init();
            assertThat(bits(fresh.params())).as("parameters initialized from the restored configuration").isEqualTo(initial);
            return;
        }
        MultiLayerConfiguration conf = c.net().mlnConf(c::schemeOf);
        MultiLayerNetwork original = new MultiLayerNetwork(conf.clone());
        original.init();
        long[] initial = bits(original.params());
        for (MultiLayerConfiguration restored : List.of(MultiLayerConfiguration.fromJson(conf.toJson()),
                MultiLayerConfiguration.fromYaml(conf.toYaml()))) {
            assertThat(restored).as("restored configuration of %s", c).isEqualTo(conf);
            sameSchemes(c, layersOf(restored));
            MultiLayerNetwork net = new MultiLayerNetwork(restored);
            net.init();
            assertThat(bits(net.params())).as("initial parameters of %s", c).isEqualTo(initial);
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(original, zip, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip.toByteArray()), true);
        assertThat(restored.getLayerWiseConfigurations()).isEqualTo(original.getLayerWiseConfigurations());
        sameSchemes(c, layersOf(restored.getLayerWiseConfigurations()));
        assertThat(bits(restored.params())).isEqualTo(initial);
        MultiLayerNetwork fresh = new MultiLayerNetwork(restored.getLayerWiseConfigurations().clone());
        fresh.init();
        assertThat(bits(fresh.params())).as("parameters initialized from the restored configuration").isEqualTo(initial);
    }
}
