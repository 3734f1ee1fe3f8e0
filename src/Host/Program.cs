using Merit.CommandLine;
using Merit.Infrastructure;

// `merit`, `merit run`: the HTTP server. Any other verb: the same services on a host built but never started and
// without an HTTP server, so it binds no port (docs/adr/0040).
var serves = MeritCommandLine.Serves(args);
if (await MeritCommandLine.AnswerBeforeBuildAsync(args) is { } answered)
{
    return answered;
}

// Content root beside the binaries, so appsettings.json is found wherever the Host is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (!serves)
{
    builder.ForVerb(); // before AddMerit, whose settings it gives
}

builder.AddMerit();

var app = builder.Build();
if (MeritCommandLine.MapsEndpoints(args))
{
    app.UseMerit();
}

return await MeritCommandLine.RunAsync(app, args);

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
