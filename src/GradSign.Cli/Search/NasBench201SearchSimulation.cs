using GradSign.Data;
using GradSign.Proxies;
using GradSign.Search;
using GradSign.SearchSpaces.NasBench201;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradSign.Cli.Search;

/// <summary>
/// Simulated searches on NAS-Bench-201 following its search protocol (and GradSign's): "training" a cell is a lookup of
/// its 12-epoch validation accuracy (<c>nb201_12epoch.csv.gz</c>), the budget is a number of such trainings, proxy scores
/// are precomputed and looked up (their time reported, not charged), and each run is judged by the 200-epoch test
/// accuracies (<c>nb201.csv.gz</c>) of its best cell by the search signal. BOHB may also train a cell for 200 epochs: a
/// lookup of the same split's 200-epoch validation accuracy (the signal column without <c>_12ep</c>, e.g.
/// <c>cifar10_valid</c>), charged 200/12 budget units.
/// </summary>
/// <threadsafety>Immutable after construction; <see cref="Run"/> may be called concurrently.</threadsafety>
public sealed class NasBench201SearchSimulation
{
    /// <summary>Number of NAS-Bench-201 cells.</summary>
    public const int CellCount = 15_625;

    private readonly Dictionary<int, double> _signal = new(CellCount);
    private readonly Dictionary<int, double>? _fullSignal;
    private readonly Dictionary<int, NasBench201Row> _final = new(CellCount);
    private readonly ILogger _logger;

    /// <summary>Creates a simulation.</summary>
    /// <param name="finalTable">The 200-epoch table (<see cref="NasBench201Table.LoadDefault"/>).</param>
    /// <param name="signalTable">The 12-epoch table (<see cref="NasBench201Table.LoadTwelveEpoch"/>).</param>
    /// <param name="signalColumn">The signal column of <paramref name="signalTable"/>.</param>
    /// <param name="logger">Optional logger.</param>
    /// <exception cref="ArgumentException">A missing column (named).</exception>
    /// <exception cref="InvalidDataException">A table does not hold all 15,625 cells, or a cell's signal (either fidelity) is not a number.</exception>
    public NasBench201SearchSimulation(NasBench201Table finalTable, NasBench201Table signalTable, string signalColumn = NasBench201SearchOptions.DefaultSignalColumn, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(finalTable);
        ArgumentNullException.ThrowIfNull(signalTable);
        ArgumentException.ThrowIfNullOrWhiteSpace(signalColumn);
        _logger = logger ?? NullLogger.Instance;
        if (!signalTable.HasColumn(signalColumn))
        {
            throw new ArgumentException($"Table '{signalTable.Source}' has no signal column '{signalColumn}' (columns: {string.Join(", ", signalTable.Columns)}).", nameof(signalColumn));
        }

        foreach (var column in ReportColumns)
        {
            if (!finalTable.HasColumn(column))
            {
                throw new ArgumentException($"Table '{finalTable.Source}' has no column '{column}'.", nameof(finalTable));
            }
        }

        SignalColumn = signalColumn;
        foreach (var row in finalTable.Rows)
        {
            _final[NasBench201Cell.Parse(row.Arch).Code] = row;
        }

        foreach (var row in signalTable.Rows)
        {
            var value = row[signalColumn];
            if (!double.IsFinite(value))
            {
                throw new InvalidDataException($"Table '{signalTable.Source}': {signalColumn} of '{row.Arch}' is {value}.");
            }

            _signal[NasBench201Cell.Parse(row.Arch).Code] = value;
        }

        if (_final.Count != CellCount || _signal.Count != CellCount)
        {
            throw new InvalidDataException($"Expected all {CellCount} cells; '{finalTable.Source}' has {_final.Count}, '{signalTable.Source}' has {_signal.Count}.");
        }

        FullSignalColumn = FullColumnOf(signalColumn);
        if (FullSignalColumn is not null && finalTable.HasColumn(FullSignalColumn))
        {
            _fullSignal = new Dictionary<int, double>(CellCount);
            foreach (var (code, row) in _final)
            {
                var value = row[FullSignalColumn];
                if (!double.IsFinite(value))
                {
                    throw new InvalidDataException($"Table '{finalTable.Source}': {FullSignalColumn} of '{row.Arch}' is {value}.");
                }

                _fullSignal[code] = value;
            }
        }
        else
        {
            FullSignalColumn = null;
        }
    }

    /// <summary>The 200-epoch columns reported per run: CIFAR-10 (trained on train+valid, test set), CIFAR-100 and ImageNet16-120 test.</summary>
    public static IReadOnlyList<string> ReportColumns { get; } =
        [NasBench201Columns.Cifar10Test, NasBench201Columns.Cifar100Test, NasBench201Columns.ImageNet16Test];

    /// <summary>The search-signal column.</summary>
    public string SignalColumn { get; }

    /// <summary>The 200-epoch column of the same split that a 200-epoch training reads (e.g. <c>cifar10_valid</c>), or null when the table has none.</summary>
    public string? FullSignalColumn { get; }

    /// <summary>The 200-epoch counterpart of a 12-epoch column: the name without its <c>_12ep</c> suffix, or null.</summary>
    /// <param name="signalColumn">A column of the 12-epoch table.</param>
    /// <returns>The 200-epoch column name, or null.</returns>
    public static string? FullColumnOf(string signalColumn)
    {
        const string suffix = "_12ep";
        return signalColumn.EndsWith(suffix, StringComparison.Ordinal) ? signalColumn[..^suffix.Length] : null;
    }

    /// <summary>Loads both tables from the data folder.</summary>
    /// <param name="dataFolder">The data folder (see <see cref="DataFolder"/>).</param>
    /// <param name="signalColumn">The signal column.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>The simulation.</returns>
    public static NasBench201SearchSimulation Load(string dataFolder, string signalColumn = NasBench201SearchOptions.DefaultSignalColumn, ILogger? logger = null)
        => new(NasBench201Table.LoadDefault(dataFolder, logger), NasBench201Table.LoadTwelveEpoch(dataFolder, logger), signalColumn, logger);

    /// <summary>
    /// Runs <see cref="NasBench201SearchOptions.Runs"/> independent searches. With <paramref name="scores"/> the space is
    /// restricted to the scored cells (so assisted and vanilla searches compare on the same cells) and, when
    /// <see cref="NasBench201SearchOptions.UseProxy"/> is set, the proxy steers the search.
    /// </summary>
    /// <param name="options">The settings (its signal column must be this simulation's).</param>
    /// <param name="scores">Optional proxy scores.</param>
    /// <param name="progress">Receives the number of finished runs.</param>
    /// <param name="cancellationToken">Checked before every training.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">Bad settings.</exception>
    /// <exception cref="InvalidDataException">Scores for an architecture string that is not a NAS-Bench-201 cell.</exception>
    public NasBench201SearchReport Run(NasBench201SearchOptions options, ProxyScoreTable? scores = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!string.Equals(options.SignalColumn, SignalColumn, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Options ask for signal '{options.SignalColumn}' but this simulation was loaded with '{SignalColumn}'.", nameof(options));
        }

        Dictionary<int, ProxyScore>? byCode = null;
        string? note = null;
        EdgeOperationSpace space;
        if (scores is null)
        {
            space = new EdgeOperationSpace(6, 5, name: "nas-bench-201");
        }
        else
        {
            byCode = new Dictionary<int, ProxyScore>(scores.Scores.Count);
            foreach (var (arch, score) in scores.Scores)
            {
                int code;
                try
                {
                    code = NasBench201Cell.Parse(arch).Code;
                }
                catch (FormatException ex)
                {
                    // A malformed arch in a scores file is bad data (exit 1), not a bad option.
                    throw new InvalidDataException($"Scores from '{scores.Source}': {ex.Message}", ex);
                }

                byCode[code] = score;
            }

            space = new EdgeOperationSpace(6, 5, byCode.Keys, "nas-bench-201");
            if (space.Count < CellCount)
            {
                note = $"search space restricted to the {space.Count:N0} of {CellCount:N0} cells scored in {scores.Source} ({scores.Proxy})";
                SearchLog.SpaceRestricted(_logger, note);
            }
        }

        var useProxy = scores is not null && options.UseProxy;
        ProxyAssist<int>? assist = useProxy
            ? new ProxyAssist<int>(new LookupProxyScorer<int>(scores!.Proxy, byCode!)) { Candidates = options.Candidates, Warmup = options.Warmup, WarmupTake = options.WarmupTake }
            : null;
        var searcher = SearchAlgorithms.Create<int>(options.Algorithm, options.Evolution, options.Reinforce, options.Bohb);
        var epochs = options.Algorithm == SearchAlgorithm.Bohb ? options.Fidelities : [NasBench201SearchOptions.TwelveEpochs];
        var levels = epochs.Select(e => ((double)e, (IReadOnlyDictionary<int, double>)SignalAt(e))).ToArray();
        var runs = new List<NasBench201SearchRun>(options.Runs);
        for (var r = 0; r < options.Runs; r++)
        {
            var seed = SearchRandom.RunSeed(options.Seed, r);
            var evaluator = new MultiFidelityLookupEvaluator<int>(levels);
            var result = searcher.Search(space, evaluator, options.Budget, new SearchRandom(seed), assist, cancellationToken);
            var row = _final[result.Best];
            var final = ReportColumns.ToDictionary(c => c, c => row[c], StringComparer.Ordinal);
            var trainings = Enumerable.Range(0, epochs.Count).ToDictionary(i => epochs[i], evaluator.CallsAt);
            runs.Add(new NasBench201SearchRun(r, seed, row.Arch, row.Index, result.BestSignal, final, result.ProxyCalls, result.ProxySeconds, epochs[result.BestFidelity], trainings));
            SearchLog.RunFinished(_logger, r, searcher.Name, row.Arch, result.BestSignal);
            progress?.Report(r + 1);
        }

        return new NasBench201SearchReport(options, useProxy ? scores!.Proxy : null, scores?.Source, space.Count, note, runs);
    }

    private Dictionary<int, double> SignalAt(int epochs) => epochs switch
    {
        NasBench201SearchOptions.TwelveEpochs => _signal,
        NasBench201SearchOptions.FullEpochs => _fullSignal
            ?? throw new ArgumentException($"Signal '{SignalColumn}' has no 200-epoch counterpart in the 200-epoch table; use fidelities {NasBench201SearchOptions.TwelveEpochs} only."),
        _ => throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "The tables hold 12-epoch and 200-epoch results only."),
    };
}
