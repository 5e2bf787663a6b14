using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GradSign.Backends.Managed;
using GradSign.Backends.Managed.Kernels;
using GradSign.Benchmarks.Kernels;

namespace GradSign.Benchmarks.Commands;

/// <summary>
/// <c>kernel-bench</c> (hidden): a quick Stopwatch harness for the convolution kernels on the NAS-Bench-201 shapes.
/// Prints min-of-N (and median) time and GFLOP/s per shape and pass. The BenchmarkDotNet suite
/// (<c>bdn --filter *Conv*</c>) is the careful measurement; this one is for iterating on a shared, noisy machine.
/// </summary>
internal static class KernelBenchCommand
{
    public static Command Create()
    {
        var reps = new Option<int>("--reps") { DefaultValueFactory = _ => 10, Description = "Timed repetitions per case (min and median reported)" };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64, Description = "Samples per call" };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => -1, Description = "Max threads (-1: all cores)" };
        var useDouble = new Option<bool>("--double") { Description = "float64 instead of float32" };
        var cpuTime = new Option<bool>("--cpu-time") { Description = "Time process CPU time instead of wall-clock time (steadier on a loaded machine; use with --threads 1)" };
        var filter = new Option<string?>("--shape") { Description = "Only shapes whose name contains this text ('gemm': time GEMM sizes instead; 'peak': the FP32 FMA peak)" };
        var command = new Command("kernel-bench", "Time the convolution kernels on NAS-Bench-201 shapes (min-of-N Stopwatch)")
        {
            reps, batch, threads, useDouble, filter, cpuTime,
        };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var n = parse.GetValue(reps);
            if (n < 1)
            {
                throw new ArgumentException($"--reps must be at least 1 (got {n}).");
            }

            var b = parse.GetValue(batch);
            if (b < 1)
            {
                throw new ArgumentException($"--batch must be at least 1 (got {b}).");
            }

            var t = parse.GetValue(threads);
            var text = parse.GetValue(filter);
            var useCpu = parse.GetValue(cpuTime);
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"# {(parse.GetValue(useDouble) ? "float64" : "float32")}, batch {b}, threads {(t <= 0 ? Environment.ProcessorCount : t)}, min/median of {n}{(useCpu ? " (process CPU time)" : "")}; GFLOP/s from the min");
            output.WriteLine($"{"shape",-16} {"pass",-16} {"GFLOP",8} {"min ms",9} {"med ms",9} {"GFLOP/s",8}");
            if (text is "peak")
            {
                // The FP32 ceiling: register-only FMA chains on every thread, per register width.
                var cores = t <= 0 ? Environment.ProcessorCount : t;
                foreach (var width in new[] { 512, 256, 128 })
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"fma-peak-{width,-7} {"threads " + cores,-16} {"",8} {"",9} {"",9} {FmaPeak.Measure(width, cores, n),8:F1}"));
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"fma-peak-{width,-7} {"threads 1",-16} {"",8} {"",9} {"",9} {FmaPeak.Measure(width, 1, n),8:F1}"));
                }

                return 0;
            }

            if (text is "gemm")
            {
                foreach (var (m, nn, k) in GemmBenchmarks.Shapes)
                {
                    var a = new float[m * k];
                    var bm = new float[k * nn];
                    var c = new float[m * nn];
                    a.AsSpan().Fill(0.5f);
                    bm.AsSpan().Fill(0.25f);
                    Report(new ConvShape($"gemm-{m}x{nn}x{k}", default, 1), "gemm", 2.0 * m * nn * k, n, output,
                        () => GradSign.Backends.Managed.Kernels.Gemm.Multiply<float>(false, false, m, nn, k, a, k, bm, nn, c, nn, false, t), useCpu);
                }

                return 0;
            }

            foreach (var shape in ConvShape.Nb201(b).Where(s => text is null || s.Name.Contains(text, StringComparison.Ordinal)))
            {
                if (parse.GetValue(useDouble))
                {
                    Run<double>(shape, n, t, output, useCpu);
                }
                else
                {
                    Run<float>(shape, n, t, output, useCpu);
                }
            }

            return 0;
        });
        return command;
    }

    private static void Run<T>(ConvShape shape, int reps, int threads, TextWriter output, bool cpuTime)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var buffers = new ConvBuffers<T>(shape);
        Report(shape, "forward", shape.Flops, reps, output, () => buffers.Forward(threads), cpuTime);
        if (ReferenceRounding.Convolution<T>(shape.Geometry.ToGeometry(), shape.Batch) != default)
        {
            // What a network's value pass runs: the reference library's depth blocks, one more pass over the output each.
            Report(shape, "forward-ref-order", shape.Flops, reps, output, () => buffers.ForwardReference(threads), cpuTime);
        }

        if (Conv3x3Winograd.Applies<T>(shape.Geometry.ToGeometry()))
        {
            // GFLOP/s of the direct convolution's FLOPs: above the machine's peak means fewer multiplications.
            Report(shape, "forward-winograd", shape.Flops, reps, output, () => buffers.ForwardWinograd(threads), cpuTime);
        }

        Report(shape, "backward-data", shape.Flops, reps, output, () => buffers.BackwardData(threads), cpuTime);
        if (Conv3x3Winograd.Applies<T>(shape.Geometry.ToGeometry()))
        {
            Report(shape, "bwd-data-direct", shape.Flops, reps, output, () => buffers.BackwardDataDirect(threads), cpuTime);
        }

        Report(shape, "backward-weight", shape.Flops, reps, output, () => buffers.BackwardWeight(threads), cpuTime);
        if (Conv3x3Winograd.Applies<T>(shape.Geometry.ToGeometry()))
        {
            Report(shape, "bwd-weight-direct", shape.Flops, reps, output, () => buffers.BackwardWeightDirect(threads), cpuTime);
        }

        Report(shape, "bw-per-sample", shape.Flops, reps, output, () => buffers.BackwardWeightPerSample(threads), cpuTime);
        if (Conv3x3Winograd.Applies<T>(shape.Geometry.ToGeometry()))
        {
            Report(shape, "bw-ps-direct", shape.Flops, reps, output, () => buffers.BackwardWeightPerSampleDirect(threads), cpuTime);
        }
    }

    private static void Report(ConvShape shape, string pass, double flops, int reps, TextWriter output, Action action, bool cpuTime)
    {
        // Warm-up for at least half a second: JIT tiering (tier-1 promotion of e.g. TensorPrimitives waits ~100 ms after
        // 30 calls), pool buffers, caches. Two calls are not enough: short runs would time tier-0 code.
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 3 || warm.ElapsedMilliseconds < 500; i++)
        {
            action();
        }
        var times = new double[reps];
        for (var i = 0; i < reps; i++)
        {
            if (cpuTime)
            {
                var cpu = ProcessCpuClock.Seconds();
                action();
                times[i] = ProcessCpuClock.Seconds() - cpu;
                continue;
            }

            var start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(times);
        var min = times[0];
        var median = times[reps / 2];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{shape.Name,-16} {pass,-16} {flops / 1e9,8:F3} {min * 1e3,9:F3} {median * 1e3,9:F3} {flops / min / 1e9,8:F1}"));
    }
}
