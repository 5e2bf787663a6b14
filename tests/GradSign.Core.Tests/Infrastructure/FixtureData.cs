using GradSign.Cli.Fixtures;

namespace GradSign.Tests.Infrastructure;

/// <summary>Oracle fixture case folders as xunit theory data.</summary>
public static class FixtureData
{
    /// <summary>The case names of <paramref name="folder"/> (see <see cref="OracleFixture.CaseNames"/>), optionally filtered.</summary>
    public static TheoryData<string> Of(string folder, Func<string, bool>? filter = null)
    {
        var data = new TheoryData<string>();
        foreach (var name in OracleFixture.CaseNames(folder).Where(n => filter?.Invoke(n) ?? true))
        {
            data.Add(name);
        }

        return data;
    }
}

/// <summary>A theory skipped when ../shared/oracle/fixtures is absent.</summary>
public sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute()
    {
        if (!Directory.Exists(SharedPaths.Fixtures))
        {
            Skip = "Oracle fixtures not found at ../shared/oracle/fixtures.";
        }
    }
}

/// <summary>A fact skipped when ../shared/oracle/fixtures is absent.</summary>
public sealed class FixtureFactAttribute : FactAttribute
{
    public FixtureFactAttribute()
    {
        if (!Directory.Exists(SharedPaths.Fixtures))
        {
            Skip = "Oracle fixtures not found at ../shared/oracle/fixtures.";
        }
    }
}
