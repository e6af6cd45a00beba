using HyperDrive.Core.Policies;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Policies;

public class EvaluationScheduleTests
{
    [Theory]
    [InlineData(1, 0, 1, true)]
    [InlineData(1, 0, 0, false)]
    [InlineData(0, 0, 1, true)] // evaluation_interval 0 (Azure v2 SDK default) is read as 1
    [InlineData(0, 0, 7, true)]
    [InlineData(1, 5, 4, false)] // delay 5: intervals below 5 are never evaluated
    [InlineData(1, 5, 5, true)]
    [InlineData(1, 5, 6, true)]
    [InlineData(3, 0, 3, true)]
    [InlineData(3, 0, 4, false)]
    [InlineData(3, 0, 6, true)]
    [InlineData(3, 5, 3, false)] // a multiple, but before the delay
    [InlineData(3, 5, 5, false)] // after the delay, but not a multiple
    [InlineData(3, 5, 6, true)]
    [InlineData(2, 10, 10, true)]
    public void IsDue_should_follow_azure_when_given_interval_and_delay(int evaluationInterval, int delay, int interval, bool due)
    {
        Assert.Equal(due, new EvaluationSchedule(evaluationInterval, delay).IsDue(interval));
    }

    [Fact]
    public void Schedule_should_read_evaluation_interval_zero_as_one()
    {
        Assert.Equal(1, new EvaluationSchedule(0, 0).EvaluationInterval);
        Assert.Equal(1, EvaluationSchedule.From(new TerminationSpec { Type = "bandit", EvaluationInterval = 0 }).EvaluationInterval);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(1, -1)]
    public void Schedule_should_refuse_negative_values(int evaluationInterval, int delay)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvaluationSchedule(evaluationInterval, delay));
    }
}
