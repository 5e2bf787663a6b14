namespace GradSign.Search;

/// <summary>
/// A factorised categorical policy, one softmax over <c>operations</c> logits per edge, trained with Adam on the REINFORCE
/// loss <c>−log π(a)·advantage</c> (torch's Adam: β₁ 0.9, β₂ 0.999, ε 1e-8, bias-corrected).
/// </summary>
/// <threadsafety>Not thread-safe.</threadsafety>
internal sealed class ReinforcePolicy
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly double[] _logits;
    private readonly double[] _m;
    private readonly double[] _v;
    private readonly double[] _probabilities;
    private readonly double _learningRate;
    private int _step;

    /// <summary>Creates a policy with logits drawn as <paramref name="initialScale"/>·N(0, 1).</summary>
    /// <param name="edges">Number of edges, at least 1.</param>
    /// <param name="operations">Operations per edge, at least 1.</param>
    /// <param name="learningRate">Adam step size, positive.</param>
    /// <param name="initialScale">Standard deviation of the initial logits.</param>
    /// <param name="random">Random source for the initial logits.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of range.</exception>
    public ReinforcePolicy(int edges, int operations, double learningRate, double initialScale, SearchRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(edges, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(operations, 1);
        ArgumentNullException.ThrowIfNull(random);
        new ReinforceOptions(learningRate, 0, initialScale).Validate();
        Edges = edges;
        Operations = operations;
        _learningRate = learningRate;
        _logits = new double[edges * operations];
        for (var i = 0; i < _logits.Length; i++)
        {
            _logits[i] = initialScale * random.NextGaussian();
        }

        _m = new double[_logits.Length];
        _v = new double[_logits.Length];
        _probabilities = new double[_logits.Length];
        RefreshProbabilities();
    }

    /// <summary>Number of edges.</summary>
    public int Edges { get; }

    /// <summary>Operations per edge.</summary>
    public int Operations { get; }

    /// <summary>π(o | edge) for every operation of an edge.</summary>
    /// <param name="edge">Edge, 0-based.</param>
    /// <returns>The probabilities (sum 1).</returns>
    public ReadOnlySpan<double> Probabilities(int edge)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(edge);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(edge, Edges);
        return _probabilities.AsSpan(edge * Operations, Operations);
    }

    /// <summary>Samples one operation per edge.</summary>
    /// <param name="random">Random source.</param>
    /// <param name="actions">Destination of length <see cref="Edges"/>.</param>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public void Sample(SearchRandom random, Span<int> actions)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckLength(actions.Length);
        for (var e = 0; e < Edges; e++)
        {
            var p = Probabilities(e);
            var u = random.NextDouble();
            var chosen = Operations - 1;
            var cumulative = 0.0;
            for (var o = 0; o < Operations; o++)
            {
                cumulative += p[o];
                if (u < cumulative)
                {
                    chosen = o;
                    break;
                }
            }

            actions[e] = chosen;
        }
    }

    /// <summary>log π(actions) = Σₑ log π(aₑ | e).</summary>
    /// <param name="actions">One operation per edge.</param>
    /// <returns>The log-probability.</returns>
    public double LogProbability(ReadOnlySpan<int> actions)
    {
        CheckLength(actions.Length);
        var sum = 0.0;
        for (var e = 0; e < Edges; e++)
        {
            sum += Math.Log(_probabilities[(e * Operations) + CheckAction(actions[e])]);
        }

        return sum;
    }

    /// <summary>
    /// One Adam step on <c>−log π(actions)·advantage</c>. Its gradient with respect to the logits of edge e is
    /// <c>−advantage·(onehot(aₑ) − π(· | e))</c>, so a positive advantage makes the taken actions likelier.
    /// </summary>
    /// <param name="actions">The actions taken.</param>
    /// <param name="advantage">Reward minus baseline.</param>
    /// <exception cref="ArgumentException">Wrong length, an action out of range, or a non-finite advantage.</exception>
    public void Update(ReadOnlySpan<int> actions, double advantage)
    {
        CheckLength(actions.Length);
        if (!double.IsFinite(advantage))
        {
            throw new ArgumentException($"Advantage {advantage} is not finite.", nameof(advantage));
        }

        _step++;
        var correction1 = 1 - Math.Pow(Beta1, _step);
        var correction2 = 1 - Math.Pow(Beta2, _step);
        for (var e = 0; e < Edges; e++)
        {
            var action = CheckAction(actions[e]);
            for (var o = 0; o < Operations; o++)
            {
                var i = (e * Operations) + o;
                var gradient = -advantage * ((o == action ? 1.0 : 0.0) - _probabilities[i]);
                _m[i] = (Beta1 * _m[i]) + ((1 - Beta1) * gradient);
                _v[i] = (Beta2 * _v[i]) + ((1 - Beta2) * gradient * gradient);
                _logits[i] -= _learningRate * (_m[i] / correction1) / (Math.Sqrt(_v[i] / correction2) + Epsilon);
            }
        }

        RefreshProbabilities();
    }

    private void RefreshProbabilities()
    {
        for (var e = 0; e < Edges; e++)
        {
            var logits = _logits.AsSpan(e * Operations, Operations);
            var p = _probabilities.AsSpan(e * Operations, Operations);
            // Shift by the maximum so exp never overflows.
            var max = double.NegativeInfinity;
            foreach (var l in logits)
            {
                max = Math.Max(max, l);
            }

            var sum = 0.0;
            for (var o = 0; o < Operations; o++)
            {
                p[o] = Math.Exp(logits[o] - max);
                sum += p[o];
            }

            for (var o = 0; o < Operations; o++)
            {
                p[o] /= sum;
            }
        }
    }

    private void CheckLength(int length)
    {
        if (length != Edges)
        {
            throw new ArgumentException($"Expected {Edges} actions (one per edge), got {length}.", nameof(length));
        }
    }

    private int CheckAction(int action) => (uint)action < (uint)Operations
        ? action
        : throw new ArgumentOutOfRangeException(nameof(action), action, $"Operation must be in [0, {Operations}).");
}
