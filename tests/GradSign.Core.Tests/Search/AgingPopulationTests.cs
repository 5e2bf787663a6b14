using GradSign.Search;

namespace GradSign.Tests.Search;

public class AgingPopulationTests
{
    [Fact]
    public void Add_Full_RemovesTheOldestNotTheWorst()
    {
        var population = new AgingPopulation<int>(3);
        Assert.Null(population.Add(1, 90.0));
        Assert.Null(population.Add(2, 10.0));
        Assert.Null(population.Add(3, 50.0));
        var removed = population.Add(4, 20.0);
        Assert.Equal(new SearchStep<int>(1, 90.0), removed);
        Assert.Equal([2, 3, 4], population.Members.Select(m => m.Arch));
        population.Add(5, 0.0);
        Assert.Equal([3, 4, 5], population.Members.Select(m => m.Arch));
    }

    [Fact]
    public void Tournament_SampleCoversPopulation_ReturnsTheBest()
    {
        var population = new AgingPopulation<int>(3);
        population.Add(1, 10);
        population.Add(2, 70);
        population.Add(3, 30);
        // 200 draws with replacement from 3 members miss member 2 with probability (2/3)^200.
        Assert.Equal(2, population.Tournament(200, new SearchRandom(1)));
    }

    [Fact]
    public void Tournament_SampleSizeOne_IsUniform()
    {
        var population = new AgingPopulation<int>(4);
        for (var i = 0; i < 4; i++)
        {
            population.Add(i, i);
        }

        var random = new SearchRandom(2);
        var counts = new int[4];
        for (var i = 0; i < 8000; i++)
        {
            counts[population.Tournament(1, random)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 1800, 2200));
    }

    [Fact]
    public void Tournament_Empty_Throws()
        => Assert.Throws<InvalidOperationException>(() => new AgingPopulation<int>(2).Tournament(1, new SearchRandom(0)));
}
