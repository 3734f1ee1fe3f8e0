using JasperFx.Events.Projections;
using Marten;
using Merit.Projections.Recruitment;

namespace Merit.Projections;

/// <summary>Registers the recruitment write models (inline snapshots) and read models with Marten.</summary>
public static class RecruitmentProjections
{
    public static StoreOptions AddRecruitmentProjections(this StoreOptions options)
    {
        // Write models: the aggregates decisions are taken on, kept current in the same transaction.
        options.Projections.Add<RoundProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<FormationProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<ApplicationProjection>(ProjectionLifecycle.Inline);

        options.Projections.Add<ApplicantCaseProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<FormationResultsProjection>(ProjectionLifecycle.Inline);
        // Looked up by columns, not by computed indexes over the document: every event rewrites these documents, and
        // the indexes no longer parse the JSON of each new version. Full pages: half-empty ones made the rewrites
        // heap-only but doubled the tables, and a national round pays for every page the OS cannot cache (docs/adr/0027).
        options.Schema.For<Merit.Recruitment.Application>().Duplicate(x => x.RoundId).Duplicate(x => x.FormationId).Duplicate(x => x.PersonId);
        options.Schema.For<Merit.Recruitment.Formation>().Duplicate(x => x.RoundId);
        options.Schema.For<FormationResults>().Duplicate(x => x.RoundId);
        options.Schema.For<ApplicantCase>().Duplicate(x => x.FormationId).Duplicate(x => x.RoundId);

        // A read model the daemon rewrites on every page: small documents, updated heap-only (docs/adr/0027).
        options.Schema.For<FormationSummary>().Duplicate(x => x.RoundId).FillFactor(MeritStore.ReadModelFillFactor);
        return options;
    }
}
