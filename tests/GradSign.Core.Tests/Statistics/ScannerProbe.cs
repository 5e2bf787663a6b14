namespace GradSign.Tests.Statistics.ScannerProbe;

/// <summary>Uses another GradSign namespace only inside a method body (a call whose result is discarded).</summary>
internal static class IlOnlyReference
{
    public static void Touch() => _ = GradSign.Data.DataFolder.TryResolve("/nonexistent");
}

/// <summary>Uses another GradSign namespace only in a property type (and its backing field).</summary>
internal sealed class SignatureReference
{
    public GradSign.Internal.SplitMix64? Random { get; set; }
}
