using System.Text;
using GradSign.SearchSpaces.NasBench201;

namespace GradSign.Tests.Data;

/// <summary>Complete NAS-Bench-201 tables with made-up values: every one of the 15,625 cells once (index i is the cell with
/// <see cref="NasBench201Cell.Code"/> i), as the table reader requires.</summary>
internal static class SyntheticNasBench201
{
    /// <summary>The architecture string of index <paramref name="index"/>.</summary>
    public static string Arch(int index) => NasBench201Cell.FromCode(index).ToString();

    /// <summary>The CSV text: <c>index,arch,&lt;columns&gt;</c>, then <c>i,arch,values(i)</c> for every cell.</summary>
    /// <param name="columns">The value columns' header, e.g. <c>cifar10valid_split_test,cifar100_test</c>.</param>
    /// <param name="values">The value fields of row i, comma-separated.</param>
    public static string Csv(string columns, Func<int, string> values)
    {
        var csv = new StringBuilder($"index,arch,{columns}\n");
        for (var i = 0; i < NasBench201Cell.CellCount; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},{Arch(i)},{values(i)}\n");
        }

        return csv.ToString();
    }

    /// <summary>Writes <see cref="Csv"/> to a file of <paramref name="dir"/> and loads it.</summary>
    public static NasBench201Table Table(TempDirectory dir, string columns, Func<int, string> values, string name = "table.csv")
        => NasBench201Table.Load(dir.Write(name, Encoding.UTF8.GetBytes(Csv(columns, values))));
}
