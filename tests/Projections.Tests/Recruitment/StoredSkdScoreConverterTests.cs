using System.Text.Json;
using Merit.Projections.Recruitment;
using Merit.Recruitment;
using Xunit;

namespace Merit.Projections.Tests.Recruitment;

public sealed class StoredSkdScoreConverterTests
{
    private static readonly JsonSerializerOptions WithConverter = new() { Converters = { new StoredSkdScoreConverter() } };

    [Fact]
    public void A_snapshot_of_the_earlier_CPNS_shape_reads_as_the_same_score()
    {
        var score = JsonSerializer.Deserialize<SkdScore>("""{"Twk":85,"Tiu":100,"Tkp":170}""", WithConverter)!;

        Assert.Equal(new SkdScore(85, 100, 170), score);
        Assert.Equal(355, score.Total);
    }

    [Theory]
    [InlineData(85, 100, 170, 0)]
    [InlineData(300, 110, 60, 45)]
    public void The_current_shape_is_written_exactly_as_the_default_contract_writes_it_and_reads_back(int a, int b, int c, int bonus)
    {
        var score = new SkdScore(new Dictionary<string, int> { ["TEKNIS"] = a, ["MANAJERIAL"] = b, ["WAWANCARA"] = c }, bonus);

        var written = JsonSerializer.Serialize(score, WithConverter);

        Assert.Equal(JsonSerializer.Serialize(score), written);
        Assert.Equal(score, JsonSerializer.Deserialize<SkdScore>(written, WithConverter));
    }

    [Fact]
    public void A_score_with_neither_shape_is_refused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SkdScore>("""{"Total":355}""", WithConverter));
    }
}
