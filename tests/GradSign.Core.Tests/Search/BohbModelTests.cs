using GradSign.Search;

namespace GradSign.Tests.Search;

public class BohbModelTests
{
    private static BohbModel Model(int budgets = 2, BohbOptions? options = null) => new(6, 5, budgets, options ?? BohbOptions.Default);

    private static int[] Point(int i) => [i % 5, (i / 5) % 5, (i / 25) % 5, (i * 7) % 5, (i * 3) % 5, (i / 2) % 5];

    [Fact]
    public void ModelBudget_NeedsMinPointsPlusTwo_AndPrefersTheLargestBudget()
    {
        var model = Model();
        Assert.Equal(7, model.MinPoints);
        for (var i = 0; i < 8; i++)
        {
            model.Observe(0, Point(i), i);
        }

        Assert.Null(model.ModelBudget);
        Assert.Null(model.Densities());
        model.Observe(0, Point(8), 8);
        Assert.Equal(0, model.ModelBudget);
        for (var i = 0; i < 9; i++)
        {
            model.Observe(1, Point(i), i);
        }

        Assert.Equal(1, model.ModelBudget);
        Assert.Equal(9, model.Densities()!.Value.Good.Count + 2);
        Assert.Equal(3, Model(options: new BohbOptions(MinPointsInModel: 1)).MinPoints + 2);
    }

    [Theory]
    [InlineData(9, 7, 7)] // N_l = max(7, ⌊1.35⌋), N_g = max(7, 2): the sets overlap
    [InlineData(20, 7, 13)] // max(7, 3), max(7, 13)
    [InlineData(60, 9, 51)] // max(7, 9), max(7, 51)
    public void Split_SizesFollowBohbEquations(int n, int good, int bad)
    {
        var model = Model(budgets: 1);
        var signals = Enumerable.Range(0, n).Select(i => (double)((i * 37) % n)).ToArray();
        for (var i = 0; i < n; i++)
        {
            model.Observe(0, Point(i), signals[i]);
        }

        var (l, g) = model.Split(0);
        Assert.Equal(good, l.Count);
        Assert.Equal(bad, g.Count);
        var ranked = Enumerable.Range(0, n).OrderByDescending(i => signals[i]).ThenBy(i => i).Select(Point).ToArray();
        Assert.Equal(ranked.Take(good), l);
        Assert.Equal(ranked.Skip(n - bad), g);
    }

    [Fact]
    public void Split_NaNRanksLast_TiesKeepObservationOrder()
    {
        var model = Model(budgets: 1);
        double[] signals = [double.NaN, 5, 5, 1, 9, 5, double.NaN, 2, 3];
        for (var i = 0; i < signals.Length; i++)
        {
            model.Observe(0, [i % 5, i / 5, 0, 0, 0, 0], signals[i]);
        }

        var (good, bad) = model.Split(0);
        Assert.Equal([4, 1, 2, 5, 8, 7, 3], good.Select(p => p[0] + (5 * p[1])));
        Assert.Equal([5, 8, 7, 3, 0, 6], bad.Skip(1).Select(p => p[0] + (5 * p[1])));
    }

    [Fact]
    public void Propose_ReturnsTheDrawWithTheLargestDensityRatio()
    {
        var options = new BohbOptions(Samples: 16);
        var model = Model(budgets: 1, options);
        for (var i = 0; i < 30; i++)
        {
            model.Observe(0, Point(i), Point(i)[0] + Point(i)[3]);
        }

        var proposal = model.Propose(new SearchRandom(5), _ => true);

        // Replay: the same stream draws the same 16 points from l; the proposal is the first with the largest l/g.
        var (l, g) = model.Densities()!.Value;
        var replay = new SearchRandom(5);
        int[]? best = null;
        var bestRatio = double.NegativeInfinity;
        var draw = new int[6];
        for (var s = 0; s < 16; s++)
        {
            l.Sample(replay, draw);
            var ratio = Math.Max(l.Pdf(draw), 1e-32) / Math.Max(g.Pdf(draw), 1e-32);
            if (ratio > bestRatio)
            {
                (best, bestRatio) = ([.. draw], ratio);
            }
        }

        Assert.Equal(best, proposal);
        Assert.Equal(bestRatio, BohbModel.Ratio(l, g, proposal), 14);
    }

    [Fact]
    public void Propose_RespectsTheAcceptPredicateOrGivesUp()
    {
        var model = Model(budgets: 1, new BohbOptions(Samples: 8));
        for (var i = 0; i < 20; i++)
        {
            model.Observe(0, Point(i), i);
        }

        var random = new SearchRandom(3);
        for (var k = 0; k < 50; k++)
        {
            Assert.Equal(1, model.Propose(random, p => p[2] == 1)![2]);
        }

        Assert.Null(model.Propose(random, _ => false));
        Assert.Null(Model().Propose(random, _ => true));
    }
}
