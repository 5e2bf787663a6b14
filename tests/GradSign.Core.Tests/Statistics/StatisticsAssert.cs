namespace GradSign.Tests.Statistics;

internal static class StatisticsAssert
{
    /// <summary>Equal within an absolute tolerance, NaN equal only to NaN.</summary>
    public static void Close(double expected, double actual, double tolerance, string because = "")
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"expected NaN, got {actual:R} {because}");
            return;
        }

        Assert.False(double.IsNaN(actual), $"expected {expected:R}, got NaN {because}");
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R} (|diff| = {Math.Abs(expected - actual):E3} > {tolerance:E1}) {because}");
    }
}
