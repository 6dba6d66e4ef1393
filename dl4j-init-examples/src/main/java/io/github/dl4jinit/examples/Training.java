package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.data.InMemoryIterator;
import io.github.dl4jinit.examples.data.MnistData;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The training loop shared by the commands: per-iteration loss, periodic evaluation, progress bar. */
public final class Training {
    private Training() {
    }

    /** What a run recorded. Iterations count from 1 over the whole run. */
    public static final class History {
        public final List<Integer> lossIterations = new ArrayList<>();
        public final List<Double> losses = new ArrayList<>();
        public final List<Integer> accuracyIterations = new ArrayList<>();
        public final List<Double> accuracies = new ArrayList<>();
        public final List<Double> epochSeconds = new ArrayList<>();
        /** Mean training loss of each epoch's iterations. */
        public final List<Double> epochLosses = new ArrayList<>();

        /** Loss of the last training iteration. */
        public double lastLoss() {
            return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
        }

        /** Last evaluated accuracy in percent. */
        public double lastAccuracy() {
            return accuracies.isEmpty() ? Double.NaN : accuracies.get(accuracies.size() - 1);
        }

        /** Mean seconds per (training-only) epoch. */
        public double meanEpochSeconds() {
            return epochSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    /** Options of one run. */
    public record Options(int epochs, int batchSize, long seed, int maxIterations, int evalEvery, String taskName) {
    }

    /**
     * Trains {@code net} on {@code train}, evaluating accuracy on {@code eval} every {@code evalEvery}
     * iterations (0: at the end of each epoch only) and at every epoch's end. Batches are built by a
     * prefetching thread. {@code maxIterations > 0} caps the iterations of each epoch (for quick runs).
     */
    public static History run(MultiLayerNetwork net, MnistData train, MnistData eval, Options o, PrintStream out) {
        History h = new History();
        InMemoryIterator base = new InMemoryIterator(train, o.batchSize(), true, o.seed());
        int perEpoch = o.maxIterations() > 0 ? Math.min(o.maxIterations(), base.batchesPerEpoch()) : base.batchesPerEpoch();
        int iteration = 0;
        for (int epoch = 1; epoch <= o.epochs(); epoch++) {
            if (epoch > 1) {
                base.reset();
            }
            DataSetIterator it = new AsyncDataSetIterator(base, 4, false);
            double trainSeconds = 0;
            double lossSum = 0;
            int steps = 0;
            try (ProgressBar pb = new ProgressBarBuilder()
                    .setTaskName(o.taskName() + " epoch " + epoch + "/" + o.epochs())
                    .setInitialMax(perEpoch).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200).setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build()) {
                for (int i = 0; i < perEpoch && it.hasNext(); i++) {
                    DataSet ds = it.next();
                    long t0 = System.nanoTime();
                    net.fit(ds);
                    double loss = net.score();
                    trainSeconds += (System.nanoTime() - t0) / 1e9;
                    iteration++;
                    lossSum += loss;
                    steps++;
                    h.lossIterations.add(iteration);
                    h.losses.add(loss);
                    pb.step();
                    pb.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
                    boolean last = i == perEpoch - 1 || !it.hasNext();
                    // no periodic evaluation just before the one at the epoch's end
                    boolean nearEnd = perEpoch - 1 - i < Math.max(1, o.evalEvery() / 2);
                    if (eval != null && !last && !nearEnd && o.evalEvery() > 0 && iteration % o.evalEvery() == 0) {
                        h.accuracyIterations.add(iteration);
                        h.accuracies.add(accuracy(net, eval));
                    }
                }
            }
            if (it instanceof AsyncDataSetIterator async) {
                async.shutdown();
            }
            h.epochSeconds.add(trainSeconds);
            h.epochLosses.add(lossSum / steps);
            double acc = eval == null ? Double.NaN : accuracy(net, eval);
            if (eval != null) {
                h.accuracyIterations.add(iteration);
                h.accuracies.add(acc);
            }
            out.printf(Locale.ROOT, "%s epoch %d/%d: mean train loss %.4f, last %.4f, accuracy %.2f %%, %.1f s training%n",
                    o.taskName(), epoch, o.epochs(), lossSum / steps, h.lastLoss(), acc, trainSeconds);
        }
        return h;
    }

    /** Percentage of {@code data} that {@code net} classifies correctly (inference mode). */
    public static double accuracy(MultiLayerNetwork net, MnistData data) {
        InMemoryIterator it = new InMemoryIterator(data, 1000, false, 0);
        long correct = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            INDArray predicted = net.output(ds.getFeatures(), false).argMax(1);
            INDArray actual = ds.getLabels().argMax(1);
            correct += predicted.eq(actual).castTo(DataType.INT).sumNumber().longValue();
        }
        return 100.0 * correct / data.size();
    }
}
