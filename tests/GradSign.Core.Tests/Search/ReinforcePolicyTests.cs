using GradSign.Search;

namespace GradSign.Tests.Search;

public class ReinforcePolicyTests
{
    [Fact]
    public void Update_RewardedOperation_BecomesLikelyOnAToyProblem()
    {
        // Reward 1 when edge 0 carries operation 2, else 0; the other edges are irrelevant.
        var random = new SearchRandom(11);
        var policy = new ReinforcePolicy(6, 5, learningRate: 0.05, initialScale: 1e-3, random);
        var baseline = new MovingAverageBaseline(0.9);
        var before = policy.Probabilities(0)[2];
        var actions = new int[6];
        for (var step = 0; step < 300; step++)
        {
            policy.Sample(random, actions);
            var reward = actions[0] == 2 ? 1.0 : 0.0;
            baseline.Update(reward);
            policy.Update(actions, reward - baseline.Value);
        }

        Assert.InRange(before, 0.19, 0.21);
        var after = policy.Probabilities(0)[2];
        Assert.True(after > 0.8, $"P(edge 0 = op 2) went from {before:F3} to {after:F3}");
        // An unrewarded edge stays far from collapsing onto one operation.
        Assert.True(policy.Probabilities(3).ToArray().Max() < 0.8);
    }

    [Fact]
    public void Update_FirstAdamStep_MovesEachLogitByTheLearningRateAgainstTheGradient()
    {
        // Adam's first bias-corrected step is lr·g/(|g|+ε): every logit with a non-zero gradient moves by ≈ lr. With
        // advantage > 0 the taken op's logit rises and the others fall, so p(taken) grows by the softmax of those moves.
        var policy = new ReinforcePolicy(1, 4, learningRate: 0.1, initialScale: 0, new SearchRandom(1));
        policy.Update([1], advantage: 2.0);
        var p = policy.Probabilities(0).ToArray();
        var up = Math.Exp(0.1);
        var down = Math.Exp(-0.1);
        var z = up + (3 * down);
        Assert.Equal(up / z, p[1], 6);
        Assert.Equal(down / z, p[0], 6);
    }

    [Fact]
    public void LogProbability_UniformPolicy_IsEdgesTimesLogOneOverOperations()
    {
        var policy = new ReinforcePolicy(6, 5, 0.001, 0, new SearchRandom(1));
        Assert.Equal(6 * Math.Log(0.2), policy.LogProbability([0, 1, 2, 3, 4, 0]), 12);
    }

    [Fact]
    public void Sample_UniformPolicy_HitsEveryOperationEvenly()
    {
        var policy = new ReinforcePolicy(1, 5, 0.001, 0, new SearchRandom(1));
        var random = new SearchRandom(2);
        var counts = new int[5];
        var action = new int[1];
        for (var i = 0; i < 10_000; i++)
        {
            policy.Sample(random, action);
            counts[action[0]]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 1800, 2200));
    }

    [Fact]
    public void Update_BadInputs_Throw()
    {
        var policy = new ReinforcePolicy(2, 3, 0.001, 0, new SearchRandom(1));
        Assert.Throws<ArgumentException>(() => policy.Update([0], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => policy.Update([0, 3], 1));
        Assert.Throws<ArgumentException>(() => policy.Update([0, 1], double.NaN));
    }

    [Fact]
    public void MovingAverageBaseline_IsTheBiasCorrectedExponentialAverage()
    {
        var baseline = new MovingAverageBaseline(0.9);
        Assert.True(double.IsNaN(baseline.Value));
        baseline.Update(1.0);
        Assert.Equal(1.0, baseline.Value, 12);
        baseline.Update(3.0);
        // num = 0.9·0.1 + 0.1·3 = 0.39, den = 0.9·0.1 + 0.1 = 0.19.
        Assert.Equal(0.39 / 0.19, baseline.Value, 12);
    }

    [Fact]
    public void Reinforce_ToyProblem_LaterSamplesFavourTheRewardedOperation()
    {
        // Signal 100 when edge 0 carries operation 2, else 0: with a brisk learning rate the policy should learn it.
        var space = ToyProblems.Grid();
        var signal = Enumerable.Range(0, 15625).ToDictionary(c => c, c => space.OperationOf(c, 0) == 2 ? 100.0 : 0.0);
        var result = new Reinforce<int>(new ReinforceOptions(LearningRate: 0.05)).Search(space, new LookupEvaluator<int>(signal), 300, new SearchRandom(4));
        var early = result.History.Take(50).Count(h => h.Signal > 0);
        var late = result.History.Skip(250).Count(h => h.Signal > 0);
        Assert.True(late > 40 && late > early + 20, $"rewarded samples: first 50 → {early}, last 50 → {late}");
    }
}
