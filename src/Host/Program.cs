using JasperFx;
using Merit.Infrastructure;

// Content root beside the binaries, so appsettings.json is found wherever the Host is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddMerit();

var app = builder.Build();
app.UseMerit();

// JasperFx's command line: `run` (default), `openapi`, `projections`, `db-apply`, `describe`, ... and ours
// (`projections verify` is routed to our own command, docs/adr/0012).
return await app.RunJasperFxCommands(Merit.Audit.ProjectionsVerifyCommand.Route(args));

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
