using System.CommandLine;

namespace GradSign.Cli.Commands;

/// <summary>Every sub-command, in the order <c>--help</c> lists them. Each command lives in its own file.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DataCommand.Create();
        yield return CorrelateCommand.Create();
        yield return MergeCommand.Create();
        yield return PlotsCommand.Create();
        yield return ScoreCommand.Create();
        yield return StatsCommand.Create();
        yield return SearchCommand.Create();
        yield return BenchCommand.Create();
    }
}
