using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Marten;
using Wolverine.Http;

namespace Merit.Infrastructure;

/// <summary>
/// Every HTTP command that writes through a Marten session begins its transaction before it loads anything, as the
/// bulk paths do (docs/adr/0017, 0021). In Rich append mode Marten reserves the event sequences before the commit
/// batch; a transaction that only begins at commit is, to the async daemon, no live writer behind that gap, and once
/// the wait for a slow save passes the stale threshold the daemon skips events that commit a moment later.
/// </summary>
public sealed class WriteTransactionPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(IDocumentSession))))
        {
            // Added last: a request refused by validation (inserted first) never opens a connection.
            chain.Middleware.Add(new MethodCall(typeof(WriteTransaction), nameof(WriteTransaction.BeginAsync)) { CommentText = "Begin the write transaction before anything is read or reserved" });
        }
    }
}

public static class WriteTransaction
{
    public static Task BeginAsync(IDocumentSession session, CancellationToken cancellation) =>
        session.BeginTransactionAsync(cancellation).AsTask();
}
