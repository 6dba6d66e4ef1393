package io.github.dl4jinit.examples.cpu;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * The non-public parts of DL4J that {@link JavaLayers} writes: a layer's {@code helper} field and the
 * network's by-name layer map. Each is looked up and checked before anything is written, so that a
 * DL4J whose internals differ from those of the version the Java layers are written for fails with an
 * {@link IllegalStateException} naming what was expected, instead of training on DL4J's own paths
 * unnoticed.
 */
final class Dl4jInternals {
    /** The DL4J release whose internals these are. */
    static final String WRITTEN_FOR = "DL4J 1.0.0-M2.1";

    private Dl4jInternals() {
    }

    /**
     * The field {@code helper} that {@code layerClass} itself declares, of type {@code helperType},
     * made writable.
     *
     * @throws IllegalStateException if there is no such field or it has another type
     */
    static Field helperSlot(Class<? extends Layer> layerClass, Class<? extends LayerHelper> helperType) {
        Field slot;
        try {
            slot = layerClass.getDeclaredField("helper");
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(layerClass.getName() + " declares no field 'helper', expected its "
                    + helperType.getSimpleName() + " slot (the Java layers are written for " + WRITTEN_FOR
                    + "; --no-java-layers trains without them)", e);
        }
        if (slot.getType() != helperType) {
            throw new IllegalStateException(layerClass.getName() + ".helper is a " + slot.getType().getName()
                    + ", expected a " + helperType.getName() + " (the Java layers are written for " + WRITTEN_FOR
                    + "; --no-java-layers trains without them)");
        }
        slot.setAccessible(true);
        return slot;
    }

    /** What {@code layer}'s {@code slot} (from {@link #helperSlot}) holds. */
    static Object read(Field slot, Layer layer) {
        try {
            return slot.get(layer);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(slot + ": not readable", e);
        }
    }

    /** Puts {@code helper} into {@code layer}'s {@code slot} (from {@link #helperSlot}). */
    static void write(Field slot, Layer layer, LayerHelper helper) {
        try {
            slot.set(layer, helper);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(slot + ": not writable", e);
        }
    }

    /**
     * The map behind {@code net.getLayer(name)}: {@code MultiLayerNetwork}'s field {@code layerMap},
     * which {@code init()} fills.
     *
     * @throws IllegalStateException if there is no such field, or it does not hold a map
     */
    @SuppressWarnings("unchecked")
    static Map<String, Layer> layersByName(MultiLayerNetwork net) {
        Object map;
        try {
            Field field = MultiLayerNetwork.class.getDeclaredField("layerMap");
            field.setAccessible(true);
            map = field.get(net);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalStateException("MultiLayerNetwork has no readable field 'layerMap', expected the map"
                    + " behind getLayer(String) (the Java layers are written for " + WRITTEN_FOR + ")", e);
        }
        if (!(map instanceof Map)) {
            throw new IllegalStateException("MultiLayerNetwork.layerMap holds " + map
                    + ", expected the map of layers by name that init() fills (the Java layers are written for "
                    + WRITTEN_FOR + ")");
        }
        return (Map<String, Layer>) map;
    }
}
