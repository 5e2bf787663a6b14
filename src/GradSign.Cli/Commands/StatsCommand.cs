using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CsvHelper;
using GradSign.Statistics;
using Spectre.Console;

namespace GradSign.Cli.Commands;

/// <summary>
/// <c>gradsign stats --csv FILE --x COLUMN --y COLUMN [--nan omit|propagate] [--json]</c>: Spearman's ρ,
/// Kendall's τ-b and Pearson's r between two columns of a CSV file.
/// </summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var csv = new Option<FileInfo>("--csv") { Description = "CSV file with a header row", Required = true };
        var x = new Option<string>("--x") { Description = "Name of the first column", Required = true };
        var y = new Option<string>("--y") { Description = "Name of the second column", Required = true };
        var nan = new Option<string>("--nan")
        {
            Description = "NaN handling: omit drops incomplete pairs, propagate makes every statistic NaN",
            DefaultValueFactory = _ => "omit",
        };
        nan.AcceptOnlyFromAmong("omit", "propagate");
        var json = CommonOptions.Json();

        var command = new Command("stats", "Rank correlations (Spearman, Kendall tau-b, Pearson) between two CSV columns")
        {
            csv, x, y, nan, json,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetRequiredValue(csv);
            var xName = parse.GetRequiredValue(x);
            var yName = parse.GetRequiredValue(y);
            var policy = parse.GetValue(nan) == "propagate" ? NanPolicy.Propagate : NanPolicy.Omit;
            var (xs, ys) = ReadColumns(file, xName, yName);
            var summary = CorrelationSummary.Compute(xs, ys, policy);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(ToJson(summary));
            }
            else
            {
                WriteTable(output, file.Name, xName, yName, policy, summary);
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Reads two columns. A column the file lacks is the option's fault (<see cref="ArgumentException"/>, exit 2); a file
    /// that cannot be read as asked — malformed CSV, the named column twice in the header, a short row, a cell that is
    /// not a number — is the data's (<see cref="InvalidDataException"/>, exit 1). Messages are one line, values clipped.
    /// </summary>
    internal static (double[] X, double[] Y) ReadColumns(FileInfo file, string xName, string yName)
    {
        if (!file.Exists)
        {
            throw new FileNotFoundException($"CSV file not found: {file.FullName}", file.FullName);
        }

        using var reader = new StreamReader(file.FullName);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var xs = new List<double>();
        var ys = new List<double>();
        var row = 0;
        try
        {
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
            {
                throw new InvalidDataException($"{file.Name}: no header row");
            }

            var xi = ColumnIndex(header, xName, "--x", file);
            var yi = ColumnIndex(header, yName, "--y", file);
            while (csv.Read())
            {
                row++;
                xs.Add(ParseCell(Field(csv, xi, xName, file, row), file, row, csv.Parser.Row, xName));
                ys.Add(ParseCell(Field(csv, yi, yName, file, row), file, row, csv.Parser.Row, yName));
            }
        }
        catch (CsvHelperException ex)
        {
            // CsvHelper's message spans many lines of reader state; the CLI promises one line.
            throw new InvalidDataException($"{file.Name}: malformed CSV after row {row} (line {ex.Context?.Parser?.Row}), e.g. an unclosed quote", ex);
        }

        return ([.. xs], [.. ys]);
    }

    private static string? Field(CsvReader csv, int index, string column, FileInfo file, int row)
        => index < csv.Parser.Count
            ? csv.GetField(index)
            : throw new InvalidDataException($"{file.Name}: row {row} (line {csv.Parser.Row}) has {csv.Parser.Count} cells, so no column '{CliText.Clip(column)}'");

    /// <summary>Empty, <c>nan</c> and <c>NaN</c> are missing (NaN); invariant-culture numbers, including
    /// <c>inf</c>/<c>Infinity</c> with a sign, are values; anything else throws <see cref="InvalidDataException"/> (exit code 1).</summary>
    internal static double ParseCell(string? cell, FileInfo file, int row, int line, string column)
    {
        var text = cell?.Trim() ?? string.Empty;
        if (text.Length == 0 || text is "nan" or "NaN")
        {
            return double.NaN;
        }

        // numpy and pandas write infinities as inf/-inf; .NET parses Infinity/-Infinity itself.
        switch (text)
        {
            case "inf" or "+inf":
                return double.PositiveInfinity;
            case "-inf":
                return double.NegativeInfinity;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new InvalidDataException($"{file.Name}: row {row} (line {line}), column '{CliText.Clip(column)}': '{CliText.Clip(cell)}' is not a number (leave the cell empty or write nan for a missing value)");
    }

    private static int ColumnIndex(string[] header, string name, string option, FileInfo file)
    {
        var index = Array.IndexOf(header, name);
        if (index < 0)
        {
            throw new ArgumentException($"{option}: column '{CliText.Clip(name)}' not found in {file.Name} (columns: {CliText.Clip(string.Join(", ", header), 200)})");
        }

        var again = Array.IndexOf(header, name, index + 1);
        if (again >= 0)
        {
            throw new InvalidDataException($"{file.Name}: column '{CliText.Clip(name)}' ({option}) appears twice in the header (columns {index + 1} and {again + 1}); rename one.");
        }

        return index;
    }

    /// <summary><c>{"n":…,"spearman":…,"kendall_tau_b":…,"pearson":…}</c>; an undefined (NaN) coefficient is "NaN" (<see cref="CliJson"/>).</summary>
    internal static string ToJson(CorrelationSummary summary)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("n", summary.N);
            CliJson.WriteNumber(writer, "spearman", summary.Spearman);
            CliJson.WriteNumber(writer, "kendall_tau_b", summary.KendallTauB);
            CliJson.WriteNumber(writer, "pearson", summary.Pearson);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTable(TextWriter output, string file, string xName, string yName, NanPolicy policy, CorrelationSummary summary)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        output.WriteLine($"{file}: {xName} vs {yName} (nan: {policy.ToString().ToLowerInvariant()})");
        var table = new Table()
            .AddColumn("statistic")
            .AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("pairs (n)", summary.N.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Spearman rho", Format(summary.Spearman));
        table.AddRow("Kendall tau-b", Format(summary.KendallTauB));
        table.AddRow("Pearson r", Format(summary.Pearson));
        console.Write(table);
    }

    private static string Format(double value) => double.IsNaN(value) ? "NaN" : value.ToString("F6", CultureInfo.InvariantCulture);
}
