using GradSign.Statistics;

namespace GradSign.Tests.Statistics;

/// <summary>GradSign.Statistics is self-contained: it must reference no other GradSign namespace.</summary>
public class NamespaceIsolationTests
{
    [Fact]
    public void StatisticsNamespace_AllTypes_ReferenceNoOtherGradSignNamespace()
    {
        var types = typeof(RankCorrelation).Assembly.GetTypes()
            .Where(t => t.Namespace == "GradSign.Statistics")
            .ToArray();
        Assert.Contains(types, t => t.Name == nameof(KendallCounter));
        Assert.Contains(types, t => t.Name.Contains("DisplayClass", StringComparison.Ordinal) || t.Name == "<>c");

        var violations = NamespaceDependencyScanner.Violations(types, "GradSign.Statistics");
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Scanner_ReferenceOnlyInsideMethodBody_IsReported()
    {
        // Guards the guard: a call in an IL body, invisible in any signature, must be found.
        var violations = NamespaceDependencyScanner.Violations([typeof(ScannerProbe.IlOnlyReference)], "GradSign.Tests");
        Assert.Contains(violations, v => v.Contains("GradSign.Data.DataFolder", StringComparison.Ordinal));
    }

    [Fact]
    public void Scanner_ReferenceInSignature_IsReported()
    {
        var violations = NamespaceDependencyScanner.Violations([typeof(ScannerProbe.SignatureReference)], "GradSign.Tests");
        Assert.Contains(violations, v => v.Contains("GradSign.Internal.SplitMix64", StringComparison.Ordinal));
    }
}
