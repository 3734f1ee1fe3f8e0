using System.Globalization;
using System.Text;
using Marten;
using Merit.Exports;
using Merit.Projections.Recruitment;
using Merit.Recruitment.Ranking;

namespace Merit.Recruitment.Files;

/// <summary>
/// The published lists as CSV, written from the <see cref="FormationResults"/> read model: UTF-8, comma, "\n",
/// invariant numbers, formations in code order. A rebuild of the read model reproduces these bytes.
/// </summary>
public sealed class RecruitmentExports(IDocumentStore store)
{
    public const string SkdCutOffHeader = "formation_code,rank,registration_number,twk,tiu,tkp,total";
    public const string FinalHeader = "formation_code,rank,registration_number,skd_total,skb_score,final_score,status";

    /// <summary>Admitted applicants only, by formation then rank; full ties share a rank (1, 2, 2, 4).</summary>
    public Task WriteSkdCutOffAsync(string roundCode, TextWriter writer, CancellationToken ct) =>
        WriteAsync(roundCode, writer, SkdCutOffHeader, results => results.CutOff?.Entries
            .Where(e => e.Outcome is CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie)
            .Select(e => Line(results.Code, e.Rank?.ToString(CultureInfo.InvariantCulture), e.RegistrationNumber, Int(e.Twk), Int(e.Tiu), Int(e.Tkp), Int(e.Total))) ?? [], ct);

    /// <summary>Every applicant who reached the SKB, with the final score to three decimals and the status code.</summary>
    public Task WriteFinalAsync(string roundCode, TextWriter writer, CancellationToken ct) =>
        WriteAsync(roundCode, writer, FinalHeader, results => results.Final?.Entries
            .Select(e => Line(
                results.Code,
                e.Rank?.ToString(CultureInfo.InvariantCulture),
                e.RegistrationNumber,
                e.SkdTotal?.ToString(CultureInfo.InvariantCulture),
                e.SkbScore?.ToString("0.00", CultureInfo.InvariantCulture),
                e.FinalScore?.ToString("0.000", CultureInfo.InvariantCulture),
                StatusCode(e.Status))) ?? [], ct);

    public static string StatusCode(FinalStatus status) => status == FinalStatus.PL ? "P/L" : status.ToString();

    private async Task WriteAsync(string roundCode, TextWriter writer, string header, Func<FormationResults, IEnumerable<string>> lines, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var roundId = RoundDecisions.IdFor(roundCode);
        var builder = new StringBuilder().Append(header).Append('\n');
        foreach (var results in (await session.Query<FormationResults>().Where(r => r.RoundId == roundId).ToListAsync(ct)).OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            foreach (var line in lines(results))
            {
                builder.Append(line).Append('\n');
            }
        }

        await writer.WriteAsync(builder, ct);
        await writer.FlushAsync(ct);
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Line(params string?[] fields) => string.Join(',', fields.Select(Field));

    private static string Field(string? value) => Csv.Field(value);
}
