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
        options.Schema.For<Merit.Recruitment.Application>().Index(x => x.RoundId).Index(x => x.FormationId).Index(x => x.PersonId);
        options.Schema.For<Merit.Recruitment.Formation>().Index(x => x.RoundId);
        options.Schema.For<FormationResults>().Index(x => x.RoundId);
        // A column, not a computed index over the document: updates that leave it unchanged stay heap-only (docs/adr/0027).
        options.Schema.For<FormationSummary>().Duplicate(x => x.RoundId).FillFactor(MeritStore.ReadModelFillFactor);
        options.Schema.For<ApplicantCase>().Index(x => x.FormationId);
        return options;
    }
}
