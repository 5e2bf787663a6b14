using GradSign.Search;

namespace GradSign.Tests.Search;

public class HyperbandScheduleTests
{
    private static (int[] Counts, double[] Budgets) Describe(HyperbandSchedule schedule, HyperbandBracket bracket)
        => ([.. bracket.Rungs.Select(r => r.Configurations)], [.. bracket.Rungs.Select(r => schedule.Budgets[r.Rung])]);

    [Fact]
    public void Geometric_R81Eta3_MatchesHyperbandPaperTable1()
    {
        // Li et al. 2018 (JMLR), Table 1: R = 81, η = 3; (n_i, r_i) per bracket s = 4 … 0.
        var schedule = HyperbandSchedule.Geometric(1, 81, 3);
        Assert.Equal(4, schedule.MaxS);
        Assert.Equal([1.0, 3, 9, 27, 81], schedule.Budgets.Select(b => Math.Round(b, 9)));
        var expected = new (int[] N, double[] R)[]
        {
            ([81, 27, 9, 3, 1], [1, 3, 9, 27, 81]),
            ([34, 11, 3, 1], [3, 9, 27, 81]),
            ([15, 5, 1], [9, 27, 81]),
            ([8, 2], [27, 81]),
            ([5], [81]),
        };
        for (var i = 0; i < expected.Length; i++)
        {
            var bracket = schedule.Bracket(i);
            Assert.Equal(4 - i, bracket.S);
            var (counts, budgets) = Describe(schedule, bracket);
            Assert.Equal(expected[i].N, counts);
            Assert.Equal(expected[i].R, budgets.Select(b => Math.Round(b, 9)));
        }
    }

    [Fact]
    public void Bracket_Iterations_CycleFromMostAggressiveDown()
    {
        var schedule = HyperbandSchedule.Geometric(1, 27, 3);
        Assert.Equal([3, 2, 1, 0, 3, 2, 1, 0, 3], Enumerable.Range(0, 9).Select(i => schedule.Bracket(i).S));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Bracket(-1));
    }

    [Fact]
    public void Schedule_TwelveAndTwoHundredEpochs_TwoBracketsAndHpBandSterCounts()
    {
        // The NAS-Bench-201 ladder: two rungs that are not η apart. s = 1: 3 cells at 12 epochs, the best one at 200;
        // s = 0: 2 cells at 200 epochs. HpBandSter's ⌊(s_max+1)/(s+1)⌋·η^s gives the same counts for two rungs.
        var schedule = new HyperbandSchedule([12.0, 200.0], 3);
        Assert.Equal(1, schedule.MaxS);
        var (counts, budgets) = Describe(schedule, schedule.Bracket(0));
        Assert.Equal([3, 1], counts);
        Assert.Equal([12.0, 200.0], budgets);
        (counts, budgets) = Describe(schedule, schedule.Bracket(1));
        Assert.Equal([2], counts);
        Assert.Equal([200.0], budgets);
        for (var s = 0; s <= schedule.MaxS; s++)
        {
            var hpbandster = (schedule.MaxS + 1) / (s + 1) * (int)Math.Pow(3, s);
            Assert.Equal(hpbandster, schedule.Bracket(schedule.MaxS - s).Rungs[0].Configurations);
        }
    }

    [Fact]
    public void Geometric_NasBench201Setting_GivesHpBandSterBudgets()
    {
        // NAS-Bench-201's BOHB.py asks HpBandSter for min 12, max 200, η = 3: budgets 200/9, 200/3, 200.
        var schedule = HyperbandSchedule.Geometric(12, 200, 3);
        Assert.Equal(2, schedule.MaxS);
        Assert.Equal(200.0 / 9, schedule.Budgets[0], 12);
        Assert.Equal(200.0 / 3, schedule.Budgets[1], 12);
        Assert.Equal(200.0, schedule.Budgets[2], 12);
        Assert.Equal([9, 3, 1], schedule.Bracket(0).Rungs.Select(r => r.Configurations));
        // s = 1: ⌈3·3/2⌉ = 5 (HpBandSter starts ⌊3/2⌋·3 = 3), then ⌊5/3⌋ = 1.
        Assert.Equal([5, 1], schedule.Bracket(1).Rungs.Select(r => r.Configurations));
        Assert.Equal([3], schedule.Bracket(2).Rungs.Select(r => r.Configurations));
    }

    [Fact]
    public void Schedule_EveryRung_KeepsTheBestOneOverEta()
    {
        foreach (var eta in new[] { 2, 3, 4 })
        {
            var schedule = HyperbandSchedule.Geometric(1, Math.Pow(eta, 4), eta);
            foreach (var bracket in schedule.Brackets)
            {
                Assert.Equal(schedule.MaxS - bracket.S, bracket.Rungs[0].Rung);
                for (var i = 1; i < bracket.Rungs.Count; i++)
                {
                    Assert.Equal(bracket.Rungs[i - 1].Rung + 1, bracket.Rungs[i].Rung);
                    Assert.Equal(bracket.Rungs[0].Configurations / (int)Math.Pow(eta, i), bracket.Rungs[i].Configurations);
                }

                Assert.Equal(schedule.MaxS, bracket.Rungs[^1].Rung);
            }
        }
    }

    [Fact]
    public void Schedule_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandSchedule([1.0, 3.0], 1));
        Assert.Throws<ArgumentException>(() => new HyperbandSchedule([], 3));
        Assert.Throws<ArgumentException>(() => new HyperbandSchedule([3.0, 3.0], 3));
        Assert.Throws<ArgumentException>(() => new HyperbandSchedule([0.0, 3.0], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => HyperbandSchedule.Geometric(10, 1, 3));
        Assert.Equal([5.0], HyperbandSchedule.Geometric(5, 5, 3).Budgets);
    }
}
