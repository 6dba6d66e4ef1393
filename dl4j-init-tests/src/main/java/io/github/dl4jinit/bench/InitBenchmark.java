package io.github.dl4jinit.bench;

import com.sun.management.OperatingSystemMXBean;
import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.sampling.FastSampler;
import io.github.dl4jinit.sampling.Sampler;
import io.github.dl4jinit.sampling.TorchGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whole-process timings of single {@code torch.nn.init} fills, the Java half of
 * {@code python/bench_init_vs_torch.py}, which runs this class and PyTorch back to back and prints
 * the ratios. Each row is {@code fn:shape:warmup:reps} (for instance {@code trunc_normal_:1024x1024:3:15});
 * each mode fills one float tensor {@code warmup} times untimed, then {@code reps} times timed, and
 * prints one JSON line per row and mode with the median and the fastest run, and the median CPU time
 * of the process per fill (all its threads: the measure of work that a busy machine disturbs least).
 *
 * <ul>
 *   <li>{@code exact}: {@code scheme.apply(tensor, torchGenerator)}, PyTorch's bits (one
 *       {@link TorchGenerator} per row, seeded 0, its stream running on as torch's default generator
 *       does).</li>
 *   <li>{@code fast}: {@code scheme.apply(tensor, FastSampler.get())}, ND4J's generator (what the
 *       configuration path uses).</li>
 * </ul>
 *
 * <pre>
 * java -cp dl4j-init-tests/target/benchmarks.jar io.github.dl4jinit.bench.InitBenchmark \
 *     normal_:4096x4096:3:15 orthogonal_:512x512:3:15
 * </pre>
 */
public final class InitBenchmark {
    /** CPU time of the whole process: ND4J's and OpenBLAS's native threads and the fills' helpers included. */
    private static final OperatingSystemMXBean CPU =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private InitBenchmark() {
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return (sorted.get((n - 1) / 2) + sorted.get(n / 2)) / 2;
    }

    /** The scheme of a row, with the arguments the Python script gives torch. */
    static TorchWeightInit scheme(String fn) {
        switch (fn) {
            case "uniform_":
                return TorchInit.uniform(-0.5, 0.5);
            case "normal_":
                return TorchInit.normal(0, 1);
            case "kaiming_normal_":
                return TorchInit.kaimingNormal(0, "fan_in", "relu");
            case "trunc_normal_":
                return TorchInit.truncNormal();
            case "orthogonal_":
                return TorchInit.orthogonal();
            default:
                throw new IllegalArgumentException("unknown fn '" + fn + "': expected uniform_, normal_, "
                        + "kaiming_normal_, trunc_normal_ or orthogonal_");
        }
    }

    public static void main(String[] args) {
        List<String> modes = List.of("exact", "fast");
        for (String row : args) {
            String[] p = row.split(":");
            if (p.length != 4) {
                throw new IllegalArgumentException("row '" + row + "': expected fn:shape:warmup:reps");
            }
            TorchWeightInit scheme = scheme(p[0]);
            long[] shape = Arrays.stream(p[1].split("x")).mapToLong(Long::parseLong).toArray();
            int warmup = Integer.parseInt(p[2]);
            int reps = Integer.parseInt(p[3]);
            if (warmup < 0 || reps < 1) {
                throw new IllegalArgumentException("row '" + row + "': expected warmup >= 0 and reps >= 1");
            }
            for (String mode : modes) {
                Sampler sampler = mode.equals("exact") ? new TorchGenerator(0) : FastSampler.get();
                Nd4j.getRandom().setSeed(0);
                INDArray tensor = Nd4j.create(DataType.FLOAT, shape, 'c');
                for (int i = 0; i < warmup; i++) {
                    scheme.apply(tensor, sampler);
                }
                List<Double> ms = new ArrayList<>();
                List<Double> cpuMs = new ArrayList<>();
                for (int i = 0; i < reps; i++) {
                    long cpu = CPU.getProcessCpuTime();
                    long start = System.nanoTime();
                    scheme.apply(tensor, sampler);
                    ms.add((System.nanoTime() - start) / 1e6);
                    cpuMs.add((CPU.getProcessCpuTime() - cpu) / 1e6);
                }
                System.out.println(String.format(Locale.ROOT,
                        "{\"row\": \"%s:%s\", \"mode\": \"%s\", \"median_ms\": %.3f, \"min_ms\": %.3f, "
                                + "\"median_cpu_ms\": %.3f, \"reps\": %d}",
                        p[0], p[1], mode, median(ms), ms.stream().min(Double::compare).orElseThrow(), median(cpuMs), reps));
                System.out.flush();
            }
        }
    }
}
