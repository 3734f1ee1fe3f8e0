using JasperFx;
using Merit.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddMerit();

var app = builder.Build();
app.UseMerit();

// JasperFx's command line: `run` (default), `openapi`, `projections`, `db-apply`, `describe`, ...
return await app.RunJasperFxCommands(args);

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
