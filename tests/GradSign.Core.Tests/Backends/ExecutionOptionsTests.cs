using GradSign.Backends;

namespace GradSign.Tests.Backends;

/// <summary><see cref="ExecutionOptions.ThreadCount"/>: what a backend sizes its work by.</summary>
public class ExecutionOptionsTests
{
    [Fact]
    public void ThreadCount_AllCores_IsProcessorCount()
        => Assert.Equal(Environment.ProcessorCount, ExecutionOptions.Default.ThreadCount);

    [Fact]
    public void ThreadCount_One_IsOne()
        => Assert.Equal(1, (ExecutionOptions.Default with { MaxDegreeOfParallelism = 1 }).ThreadCount);

    [Fact]
    public void ThreadCount_MoreThanCores_IsCappedAtCores()
        => Assert.Equal(Environment.ProcessorCount, (ExecutionOptions.Default with { MaxDegreeOfParallelism = Environment.ProcessorCount + 3 }).ThreadCount);

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void MaxDegreeOfParallelism_NotPositiveOrAllCores_ThrowsNamingIt(int value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ExecutionOptions.Default with { MaxDegreeOfParallelism = value });
        Assert.Equal(nameof(ExecutionOptions.MaxDegreeOfParallelism), e.ParamName);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }
}
