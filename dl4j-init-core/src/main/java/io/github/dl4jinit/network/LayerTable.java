package io.github.dl4jinit.network;

import io.github.dl4jinit.init.Fans;
import io.github.dl4jinit.init.TorchLayout;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that knows each DL4J layer's parameters: their keys, roles, PyTorch twin tensors,
 * layouts ({@link TorchLayout}), fans and PyTorch's draw order.
 *
 * <table>
 *   <caption>DL4J layers and their PyTorch twins (draw order left to right)</caption>
 *   <tr><th>DL4J</th><th>PyTorch</th><th>parameters</th></tr>
 *   <tr><td>DenseLayer, OutputLayer, RnnOutputLayer, CenterLossOutputLayer</td><td>Linear</td><td>W→weight, b→bias</td></tr>
 *   <tr><td>ConvolutionLayer, Convolution1DLayer, Convolution3D</td><td>Conv1d/2d/3d</td><td>W→weight, b→bias</td></tr>
 *   <tr><td>Deconvolution2D/3D</td><td>ConvTranspose2d/3d</td><td>W→weight (fan_in = out·∏k), b→bias</td></tr>
 *   <tr><td>DepthwiseConvolution2D</td><td>Conv2d(groups=nIn)</td><td>W→weight (nIn·m, 1, kH, kW), b→bias</td></tr>
 *   <tr><td>SeparableConvolution2D</td><td>Conv2d(groups=nIn, bias=False) + Conv2d 1x1</td><td>W, pW, b</td></tr>
 *   <tr><td>LSTM, GravesLSTM</td><td>LSTM</td><td>W→weight_ih, RW→weight_hh, b→bias_ih+bias_hh (gates i,f,g,o ↔ DL4J g,f,o,i); GravesLSTM peepholes last</td></tr>
 *   <tr><td>SimpleRnn</td><td>RNN</td><td>W→weight_ih, RW→weight_hh, b→bias_ih+bias_hh</td></tr>
 *   <tr><td>EmbeddingLayer, EmbeddingSequenceLayer</td><td>Embedding</td><td>W→weight</td></tr>
 *   <tr><td>BatchNormalization</td><td>BatchNorm1d/2d/3d</td><td>gamma, beta, mean, var or log10stdev</td></tr>
 *   <tr><td>PReLULayer</td><td>PReLU</td><td>W→weight</td></tr>
 *   <tr><td>SelfAttentionLayer (nIn = nOut, projected)</td><td>MultiheadAttention(bias=False)</td>
 *       <td>Wo→out_proj.weight, (out_proj.bias drawn and dropped), Wq, Wk, Wv→in_proj_weight</td></tr>
 * </table>
 * Wrappers (FrozenLayer, FrozenLayerWithBackprop, LastTimeStep, TimeDistributed, Bidirectional)
 * are looked through; Bidirectional draws the forward then the backward layer, as PyTorch's
 * {@code bidirectional=True} draws {@code *_l0} then {@code *_l0_reverse}.
 */
public final class LayerTable {
    /** DL4J gate block k (block input g, forget f, output o, input i) is PyTorch gate GATES[k] of (i, f, g, o). */
    static final int[] LSTM_GATES = {2, 1, 3, 0};

    private LayerTable() {
    }

    /** The PyTorch module a layer stands for, and how the report describes it. */
    private static final class Twin {
        final TorchModule module;
        final String description;

        Twin(TorchModule module, String description) {
            this.module = module;
            this.description = description;
        }
    }

    /** Describes a runtime layer (any wrapper) found at {@code index} under {@code name}. */
    static NetworkLayer describe(String name, int index, org.deeplearning4j.nn.api.Layer layer) {
        List<Class<?>> wrappers = new ArrayList<>();
        boolean frozen = false;
        org.deeplearning4j.nn.api.Layer cur = layer;
        while (cur instanceof BaseWrapperLayer) {
            frozen |= cur instanceof FrozenLayer || cur instanceof FrozenLayerWithBackprop;
            wrappers.add(cur instanceof FrozenLayer ? org.deeplearning4j.nn.conf.layers.misc.FrozenLayer.class
                    : cur instanceof FrozenLayerWithBackprop
                    ? org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop.class
                    : cur.conf().getLayer().getClass());
            cur = ((BaseWrapperLayer) cur).getUnderlying();
        }
        Layer conf = cur.conf().getLayer();
        List<LayerParam> specs = new ArrayList<>();
        Twin twin;
        if (cur instanceof BidirectionalLayer) {
            wrappers.add(Bidirectional.class);
            Bidirectional bi = (Bidirectional) conf;
            List<LayerParam> fwd = new ArrayList<>();
            List<LayerParam> bwd = new ArrayList<>();
            twin = params(bi.getFwd(), prefixed(cur.paramTable(), "f"), "", fwd);
            params(bi.getBwd(), prefixed(cur.paramTable(), "b"), "_reverse", bwd);
            fwd.forEach(s -> specs.add(s.withKeyPrefix("f")));
            bwd.forEach(s -> specs.add(s.withKeyPrefix("b")));
            conf = bi.getFwd();
        } else {
            twin = params(conf, cur.paramTable(), "", specs);
        }
        String reason = null;
        if (twin == null) {
            reason = specs.isEmpty() ? "no parameters" : "no PyTorch twin for " + conf.getClass().getSimpleName();
        }
        return new NetworkLayer(name, index, layer, conf, wrappers, frozen, twin == null ? null : twin.module,
                twin == null ? null : twin.description, reason, specs);
    }

    private static Map<String, INDArray> prefixed(Map<String, INDArray> table, String prefix) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : table.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                m.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return m;
    }

    /** Adds the specs of one (unwrapped) layer; returns its PyTorch twin or null. */
    private static Twin params(Layer c, Map<String, INDArray> p, String suffix, List<LayerParam> out) {
        if (p.isEmpty()) {
            return null;
        }
        if (c instanceof EmbeddingLayer || c instanceof EmbeddingSequenceLayer) {
            INDArray w = p.get("W");
            TorchLayout wl = TorchLayout.embedding(w.size(0), w.size(1));
            out.add(spec("W", ParamRole.WEIGHT, w, wl).torch("weight").build());
            addBias(p, wl.fans(), null, out);
            return new Twin(TorchModule.EMBEDDING, "Embedding");
        }
        if (c instanceof DenseLayer || c instanceof BaseOutputLayer) {
            INDArray w = p.get("W");
            TorchLayout wl = TorchLayout.dense(w.size(0), w.size(1));
            out.add(spec("W", ParamRole.WEIGHT, w, wl).torch("weight").build());
            addBias(p, wl.fans(), "bias", out);
            addVector(p, "g", ParamRole.LAYER_NORM_GAIN, null, out);
            addOthers(p, out, "W", "b", "g");
            return new Twin(TorchModule.LINEAR, "Linear");
        }
        if (c instanceof Deconvolution3D) {
            INDArray w = p.get("W");
            long[] s = w.shape();
            return conv(p, TorchLayout.deconv3d(s[0], s[1], s[2], s[3], s[4]),
                    new Twin(TorchModule.CONV_TRANSPOSE3D, "ConvTranspose3d"), out);
        }
        if (c instanceof Deconvolution2D) {
            return conv(p, TorchLayout.conv(p.get("W").shape()), new Twin(TorchModule.CONV_TRANSPOSE2D, "ConvTranspose2d"), out);
        }
        if (c instanceof SeparableConvolution2D) {
            INDArray w = p.get("W");
            long[] s = w.shape();
            // Two PyTorch Conv2d modules: `weight` of either is m.weight to an init loop over them.
            out.add(spec("W", ParamRole.DEPTHWISE_WEIGHT, w, TorchLayout.separableDepthwise(s[0], s[1], s[2], s[3]))
                    .torch("depthwise.weight").attributes("weight").build());
            INDArray pw = p.get("pW");
            TorchLayout pl = TorchLayout.conv(pw.shape());
            out.add(spec("pW", ParamRole.POINTWISE_WEIGHT, pw, pl).torch("pointwise.weight").attributes("weight").build());
            INDArray b = p.get("b");
            if (b != null) {
                out.add(spec("b", ParamRole.BIAS, b, TorchLayout.identity(b.shape())).torch("pointwise.bias")
                        .attributes("bias").fans(pl.fans()).build());
            }
            return new Twin(TorchModule.CONV2D, "Conv2d(groups=in) + Conv2d(1x1)");
        }
        if (c instanceof DepthwiseConvolution2D) {
            long[] s = p.get("W").shape();
            return conv(p, TorchLayout.depthwise(s[0], s[1], s[2], s[3]), new Twin(TorchModule.CONV2D, "Conv2d(groups=in)"),
                    out, ParamRole.DEPTHWISE_WEIGHT);
        }
        if (c instanceof Convolution3D) {
            return conv(p, TorchLayout.conv(p.get("W").shape()), new Twin(TorchModule.CONV3D, "Conv3d"), out);
        }
        if (c instanceof Convolution1DLayer) {
            return conv(p, TorchLayout.conv(p.get("W").shape()), new Twin(TorchModule.CONV1D, "Conv1d"), out);
        }
        if (c instanceof ConvolutionLayer) {
            return conv(p, TorchLayout.conv(p.get("W").shape()), new Twin(TorchModule.CONV2D, "Conv2d"), out);
        }
        if (c instanceof LSTM || c instanceof GravesLSTM) {
            recurrent(p, LSTM_GATES, suffix, out);
            return new Twin(TorchModule.LSTM, "LSTM");
        }
        if (c instanceof SimpleRnn) {
            recurrent(p, null, suffix, out);
            addVector(p, "g", ParamRole.LAYER_NORM_GAIN, null, out);
            return new Twin(TorchModule.RNN, "RNN");
        }
        if (c instanceof BatchNormalization) {
            addVector(p, "gamma", ParamRole.GAMMA, "weight", out);
            addVector(p, "beta", ParamRole.BETA, "bias", out);
            addVector(p, "mean", ParamRole.RUNNING_MEAN, "running_mean", out);
            addVector(p, "var", ParamRole.RUNNING_VAR, "running_var", out);
            INDArray logStd = p.get("log10stdev");
            if (logStd != null) {
                out.add(spec("log10stdev", ParamRole.RUNNING_VAR, logStd, TorchLayout.identity(logStd.shape()))
                        .torch("running_var").fans(Fans.ofTorchShape(logStd.length())).log10Std().build());
            }
            return new Twin(TorchModule.BATCH_NORM, "BatchNorm");
        }
        if (c instanceof SelfAttentionLayer && p.containsKey("Wo")) {
            return selfAttention(p, out);
        }
        if (c instanceof PReLULayer) {
            addVector(p, "W", ParamRole.PRELU_ALPHA, "weight", out);
            return new Twin(TorchModule.PRELU, "PReLU");
        }
        addOthers(p, out);
        return null;
    }

    /**
     * SelfAttentionLayer (nIn = nOut = E, projected) as MultiheadAttention(E, h, bias=False): PyTorch
     * builds out_proj (a Linear: weight, then a bias it later zeroes) before drawing in_proj_weight
     * (3E, E) = [Wq; Wk; Wv]. Wq [h, hs, nIn] (c) has the memory of its (E, nIn) block, so the three
     * blocks drawn one after the other are the one (3E, E) tensor drawn at once. The out_proj bias
     * (DL4J has none) is drawn into a scratch array, to keep the stream in step.
     */
    private static Twin selfAttention(Map<String, INDArray> p, List<LayerParam> out) {
        INDArray wq = p.get("Wq");
        INDArray wo = p.get("Wo");
        long e = wq.size(0) * wq.size(1);
        long nIn = wq.size(2);
        long nOut = wo.size(1);
        if (e != nIn || nOut != nIn) {
            addOthers(p, out);
            return null;
        }
        TorchLayout ol = TorchLayout.dense(e, nOut);
        out.add(spec("Wo", ParamRole.OUTPUT_PROJECTION, wo, ol).torch("out_proj.weight").build());
        INDArray scratch = Nd4j.create(wo.dataType(), nOut);
        out.add(spec("(none)", ParamRole.BIAS, scratch, TorchLayout.identity(nOut)).torch("out_proj.bias")
                .displayName("out_proj.bias (drawn, then zeroed; DL4J has none)").fans(ol.fans()).notInStateDict().build());
        Fans inProj = Fans.ofTorchShape(3 * e, nIn);
        for (String k : new String[]{"Wq", "Wk", "Wv"}) {
            INDArray w = p.get(k);
            out.add(spec(k, ParamRole.WEIGHT, w, TorchLayout.identity(w.shape())).torch("in_proj_weight")
                    .displayName("in_proj_weight[" + k + "]").fans(inProj).notInStateDict().build());
        }
        return new Twin(TorchModule.MULTIHEAD_ATTENTION, "MultiheadAttention");
    }

    private static Twin conv(Map<String, INDArray> p, TorchLayout wl, Twin twin, List<LayerParam> out) {
        return conv(p, wl, twin, out, ParamRole.WEIGHT);
    }

    private static Twin conv(Map<String, INDArray> p, TorchLayout wl, Twin twin, List<LayerParam> out,
                             ParamRole weightRole) {
        out.add(spec("W", weightRole, p.get("W"), wl).torch("weight").build());
        addBias(p, wl.fans(), "bias", out);
        return twin;
    }

    /** LSTM/GravesLSTM/SimpleRnn: weight_ih, weight_hh, bias_ih + bias_hh, then GravesLSTM's peepholes. */
    private static void recurrent(Map<String, INDArray> p, int[] gates, String suffix, List<LayerParam> out) {
        INDArray w = p.get("W");
        INDArray rw = p.get("RW");
        long nIn = w.size(0);
        long gatesTimesH = w.size(1);
        long h = rw.size(0);
        INDArray rwMain = rw.size(1) == gatesTimesH ? rw
                : rw.get(NDArrayIndex.all(), NDArrayIndex.interval(0, gatesTimesH));
        TorchLayout wl = TorchLayout.dense(nIn, gatesTimesH);
        out.add(spec("W", ParamRole.WEIGHT, w, wl).torch("weight_ih_l0" + suffix).gateOrder(gates).hiddenSize(h).build());
        out.add(spec("RW", ParamRole.RECURRENT_WEIGHT, rwMain, TorchLayout.dense(h, gatesTimesH))
                .torch("weight_hh_l0" + suffix).gateOrder(gates).hiddenSize(h).build());
        INDArray b = p.get("b");
        if (b != null) {
            // one DL4J bias for PyTorch's two: drawn in turn and added, as PyTorch adds them
            out.add(spec("b", ParamRole.BIAS, b, TorchLayout.identity(b.shape()))
                    .torch("bias_ih_l0" + suffix, "bias_hh_l0" + suffix)
                    .fans(wl.fans()).gateOrder(gates).hiddenSize(h).build());
        }
        if (rw.size(1) > gatesTimesH) {
            INDArray peep = rw.get(NDArrayIndex.all(), NDArrayIndex.interval(gatesTimesH, rw.size(1)));
            out.add(spec("RW", ParamRole.PEEPHOLE, peep, TorchLayout.dense(h, rw.size(1) - gatesTimesH))
                    .displayName("(peepholes, no twin)").hiddenSize(h).build());
        }
    }

    /** A bias with its weight's fans; {@code torchKey} null where the twin module has no bias. */
    private static void addBias(Map<String, INDArray> p, Fans weightFans, String torchKey, List<LayerParam> out) {
        INDArray b = p.get("b");
        if (b != null) {
            LayerParam.Builder s = spec("b", ParamRole.BIAS, b, TorchLayout.identity(b.shape())).fans(weightFans);
            out.add((torchKey == null ? s.displayName("bias (no twin)") : s.torch(torchKey)).build());
        }
    }

    /**
     * A parameter that is a vector in PyTorch: no fans of its own, as PyTorch's 1-D tensors;
     * {@code torchKey} null where the twin module has no such tensor.
     */
    private static void addVector(Map<String, INDArray> p, String key, ParamRole role, String torchKey,
                                  List<LayerParam> out) {
        INDArray v = p.get(key);
        if (v != null) {
            LayerParam.Builder s = spec(key, role, v, TorchLayout.identity(v.shape())).fans(Fans.ofTorchShape(v.length()));
            out.add((torchKey == null ? s.displayName("(no twin)") : s.torch(torchKey)).build());
        }
    }

    /** Parameters this table has no twin for: kept selectable by role (W, b) with their own shape. */
    private static void addOthers(Map<String, INDArray> p, List<LayerParam> out, String... known) {
        List<String> skip = Arrays.asList(known);
        for (Map.Entry<String, INDArray> e : p.entrySet()) {
            if (skip.contains(e.getKey())) {
                continue;
            }
            ParamRole role = "W".equals(e.getKey()) ? ParamRole.WEIGHT : "b".equals(e.getKey()) ? ParamRole.BIAS
                    : ParamRole.OTHER;
            out.add(spec(e.getKey(), role, e.getValue(), TorchLayout.identity(e.getValue().shape()))
                    .displayName("(no twin)").build());
        }
    }

    private static LayerParam.Builder spec(String key, ParamRole role, INDArray view, TorchLayout layout) {
        return LayerParam.builder(key, role, view, layout);
    }
}
