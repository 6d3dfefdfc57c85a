using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Ticker.Silo.Http;

namespace Ticker.Silo.Dashboard;

/// <summary>
/// The live status page at <c>/dashboard</c> (the part the Orleans Dashboard plays): one HTML page, one script and one
/// stylesheet embedded in this assembly, which poll the JSON API once a second.
/// </summary>
public static class TickerDashboard
{
    /// <summary>The path of the page.</summary>
    public const string Path = "/dashboard";

    /// <summary>Prefix of the page's files among this assembly's manifest resources.</summary>
    internal const string ResourcePrefix = "Ticker.Silo.Dashboard.wwwroot.";

    // The page runs only its own script and stylesheet and talks only to this origin; anything else is refused by the
    // browser (and shows up as a console error, which the integration test treats as a failure).
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Maps <c>/dashboard</c>, <c>/dashboard/dashboard.js</c> and <c>/dashboard/dashboard.css</c>, and the JSON the page
    /// needs beyond <see cref="TickerApi"/> (<see cref="CatalogApi"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapTickerDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        MapAsset(app, Path, Load("index.html", "text/html; charset=utf-8"));
        MapAsset(app, Path + "/dashboard.js", Load("dashboard.js", "text/javascript; charset=utf-8"));
        MapAsset(app, Path + "/dashboard.css", Load("dashboard.css", "text/css; charset=utf-8"));
        app.MapCatalogApi();
        return app;
    }

    /// <summary>Reads one of the page's files from the assembly; throws when the build did not embed it.</summary>
    internal static Asset Load(string fileName, string contentType)
    {
        var name = ResourcePrefix + fileName;
        using var stream = typeof(TickerDashboard).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The dashboard file '{name}' is not embedded in {typeof(TickerDashboard).Assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"";
        return new Asset(bytes, contentType, etag);
    }

    private static void MapAsset(IEndpointRouteBuilder app, string path, Asset asset) =>
        app.MapGet(path, context => ServeAsync(context, asset)).ExcludeFromDescription();

    private static Task ServeAsync(HttpContext context, Asset asset)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
        }

        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Content.Length;
        return context.Response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }

    /// <summary>One embedded file, ready to serve.</summary>
    /// <param name="Content">The bytes.</param>
    /// <param name="ContentType">The media type with charset.</param>
    /// <param name="ETag">A quoted strong validator derived from the content.</param>
    internal sealed record Asset(byte[] Content, string ContentType, string ETag);
}
